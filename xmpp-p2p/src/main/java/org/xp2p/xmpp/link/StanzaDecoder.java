package org.xp2p.xmpp.link;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jivesoftware.smack.xml.xpp3.Xpp3XmlPullParser;
import org.jivesoftware.smack.xml.xpp3.Xpp3XmlPullParserFactory;

/**
 * Turns one framed top-level element into a Smack {@link Stanza} with Smack's own parser,
 * so that every registered provider (xp2p's included) yields typed extensions, exactly as
 * on the broker path. The element is parsed inside the namespace context of the peer's
 * stream header. Holds that context and one reusable parser: used by one thread at a time
 * (a link's reader thread).
 */
public final class StanzaDecoder {
    private final String wrapperOpen;
    private final String wrapperClose;
    /**
     * XPP3, chosen explicitly: Smack's service lookup may pick its StAX binding, which
     * builds a full JDK StAX reader per stanza (several times slower). One parser per
     * decoder, reset for each stanza: a new one allocates its buffers again each time, which
     * showed as the largest cost of reading a link. DTDs never reach it: the framer refuses
     * them first.
     */
    private final org.xmlpull.v1.XmlPullParser xpp;
    private final XmlPullParser parser;

    public StanzaDecoder(StreamHeader peerHeader) {
        try {
            xpp = new org.xmlpull.mxp1.MXParser(); // what Smack's XPP3 factory creates, set up the same way
            xpp.setFeature(org.xmlpull.v1.XmlPullParser.FEATURE_PROCESS_NAMESPACES, true);
            if (Xpp3XmlPullParserFactory.XML_PULL_PARSER_SUPPORTS_ROUNDTRIP) {
                xpp.setFeature(Xpp3XmlPullParserFactory.FEATURE_XML_ROUNDTRIP, true);
            }
        } catch (org.xmlpull.v1.XmlPullParserException e) {
            throw new IllegalStateException("XPP3 refuses a standard feature: " + e.getMessage(), e);
        }
        parser = new Xpp3XmlPullParser(xpp);
        StringBuilder open = new StringBuilder("<stream:stream");
        Map<String, String> ns = new java.util.LinkedHashMap<>(peerHeader.namespaces());
        ns.putIfAbsent("", StreamHeader.CLIENT_NS);
        ns.put("stream", StreamHeader.STREAMS_NS);
        for (Map.Entry<String, String> e : ns.entrySet()) {
            open.append(e.getKey().isEmpty() ? " xmlns" : " xmlns:" + e.getKey()).append("='")
                    .append(XmlText.escape(e.getValue())).append('\'');
        }
        this.wrapperOpen = open.append('>').toString();
        this.wrapperClose = "</stream:stream>";
    }

    /** Thrown for an element that is not well-formed XML or not valid UTF-8. */
    public static final class MalformedStanzaException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedStanzaException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Parses a {@code message}, {@code iq} or {@code presence} element.
     *
     * @throws MalformedStanzaException the XML or its encoding is broken: a stream-level fault
     * @throws SmackParsingException    well-formed, but not a valid stanza (e.g. a bad JID):
     *                                  a stanza-level fault
     */
    public Stanza decode(byte[] xml) throws MalformedStanzaException, SmackParsingException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(xml)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedStanzaException("the stanza is not valid UTF-8", e);
        }
        try {
            try {
                xpp.setInput(new java.io.StringReader(wrapperOpen + text + wrapperClose)); // resets the parser
            } catch (org.xmlpull.v1.XmlPullParserException e) {
                throw new XmlPullParserException(e);
            }
            XmlPullParser.Event event = parser.next();
            while (event != XmlPullParser.Event.START_ELEMENT) {
                event = parser.next(); // to the wrapper standing in for our stream element
            }
            XmlEnvironment outer = XmlEnvironment.from(parser);
            event = parser.next();
            while (event != XmlPullParser.Event.START_ELEMENT) {
                if (event == XmlPullParser.Event.END_DOCUMENT) {
                    throw new MalformedStanzaException("no element in " + StreamHeader.abbreviate(text), null);
                }
                event = parser.next();
            }
            Stanza stanza = PacketParserUtils.parseStanza(parser, outer);
            // Whatever follows must be the wrapper's end: anything else means the framer and
            // the parser disagree about where the element ended.
            while ((event = parser.next()) != XmlPullParser.Event.END_DOCUMENT) {
                if (event == XmlPullParser.Event.START_ELEMENT) {
                    throw new MalformedStanzaException("trailing content after the stanza", null);
                }
            }
            return stanza;
        } catch (XmlPullParserException | java.io.IOException e) {
            throw new MalformedStanzaException("not well-formed: " + e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new MalformedStanzaException("cannot be read: " + e.getMessage(), e);
        }
    }
}
