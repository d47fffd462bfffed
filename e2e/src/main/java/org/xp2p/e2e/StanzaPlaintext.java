package org.xp2p.e2e;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.util.ParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jivesoftware.smack.xml.xpp3.Xpp3XmlPullParser;
import org.jivesoftware.smack.xml.xpp3.Xpp3XmlPullParserFactory;
import org.jxmpp.jid.Jid;
import org.xmlpull.mxp1.MXParser;
import org.xp2p.schemas.smack.FlatXml;

/**
 * What goes inside the ciphertext and how the stanza is rebuilt around it:
 * a message's whole inner {@code <message [type] [xml:lang]>…</message>} without xmlns,
 * id, to and from; an iq's payload children only, the receiver rebuilding
 * {@code <iq xmlns="jabber:client" id from to type>} around them.
 *
 * <p>Messages of the common shape are written and read without Smack's builders and parser
 * ({@link MessagePlaintextWriter}, {@link MessagePlaintextReader}), to the same characters
 * and the same stanza; everything else goes through Smack.
 *
 * <p>Thread-safe. Each thread keeps one XPP3 parser and resets it for every plaintext it
 * reads: creating a parser (and with the StAX factory, its whole reader) costs more than
 * parsing a short stanza. It is configured as Smack's own XPP3 factory configures its
 * parsers, so the parsed stanzas are the same.
 */
final class StanzaPlaintext {
    static final String CLIENT_NAMESPACE = "jabber:client";
    private static final XmlEnvironment CLIENT = XmlEnvironment.builder().withNamespace(CLIENT_NAMESPACE).build();
    private static final String WRAPPER = "plaintext";

    private StanzaPlaintext() {
    }

    /** The UTF-8 octets of a message's plaintext: {@link #ofMessageBySmack} encoded. */
    static byte[] ofMessage(Message message) {
        byte[] written = MessagePlaintextWriter.write(message);
        if (written != null) {
            return written;
        }
        return ofMessageBySmack(message).getBytes(StandardCharsets.UTF_8);
    }

    /** What {@link #ofMessage} must equal: Smack's rendering of the message without id, to and from. */
    static String ofMessageBySmack(Message message) {
        Message inner = StanzaBuilder.buildMessageFrom(message, (String) null).to((Jid) null).from((Jid) null).build();
        return FlatXml.of(inner.toXML(CLIENT));
    }

    static String ofIq(IQ iq) {
        if (iq instanceof UnparsedIQ unparsed && iq.getType() != IQ.Type.error) {
            // Smack writes an UnparsedIQ as its start tag followed by its whole content
            // escaped; the content already is the complete child element.
            return unparsed.getContent().toString();
        }
        return FlatXml.of(iq.getChildElementXML());
    }

    /**
     * The message {@code plaintext} holds, with id, from and to of the outer stanza.
     *
     * @throws PlaintextException when the plaintext is not exactly one message element
     */
    static Message toMessage(String plaintext, String id, Jid from, Jid to) throws PlaintextException {
        Message read = MessagePlaintextReader.read(plaintext, id, from, to);
        if (read != null) {
            return read;
        }
        return toMessageBySmack(plaintext, id, from, to);
    }

    /** What {@link #toMessage} must equal: Smack's parser and providers read the plaintext. */
    static Message toMessageBySmack(String plaintext, String id, Jid from, Jid to) throws PlaintextException {
        try (Reusable reusable = Reusable.parse(
                "<" + WRAPPER + " xmlns='" + CLIENT_NAMESPACE + "'>" + plaintext + "</" + WRAPPER + ">")) {
            XmlPullParser parser = reusable.parser();
            if (nextStartOrEnd(parser) != XmlPullParser.Event.START_ELEMENT || !"message".equals(parser.getName())
                    || !CLIENT_NAMESPACE.equals(parser.getNamespace())) {
                throw new PlaintextException("decrypted content is not a message element");
            }
            // Addressing inside the plaintext, if a sender put any there, is ignored: the
            // outer id, from and to are the ones the nonce (and so the tag or key) is bound to.
            Message parsed = PacketParserUtils.parseMessage(parser, CLIENT);
            expectEnd(parser);
            return StanzaBuilder.buildMessageFrom(parsed, id).from(from).to(to).build();
        } catch (XmlPullParserException | IOException | SmackParsingException | RuntimeException e) {
            throw new PlaintextException("decrypted message is not well-formed: " + e.getMessage());
        }
    }

    /**
     * The iq rebuilt around {@code payload}.
     *
     * @throws PlaintextException when the payload does not parse
     */
    static IQ toIq(String payload, String id, Jid from, Jid to, IQ.Type type) throws PlaintextException {
        StringBuilder xml = new StringBuilder(payload.length() + 160).append("<iq xmlns='").append(CLIENT_NAMESPACE).append('\'');
        attribute(xml, "id", id);
        attribute(xml, "from", from == null ? null : from.toString());
        attribute(xml, "to", to == null ? null : to.toString());
        attribute(xml, "type", type.toString());
        xml.append('>').append(payload).append("</iq>");
        try (Reusable reusable = Reusable.parse(xml.toString())) {
            XmlPullParser parser = reusable.parser();
            IQ iq = PacketParserUtils.parseIQ(parser, XmlEnvironment.EMPTY);
            if (parser.next() != XmlPullParser.Event.END_DOCUMENT) {
                throw new PlaintextException("content after the iq");
            }
            return iq;
        } catch (XmlPullParserException | IOException | SmackParsingException | RuntimeException e) {
            throw new PlaintextException("decrypted iq payload is not well-formed: " + e.getMessage());
        }
    }

    private static void attribute(StringBuilder xml, String name, String value) {
        if (value == null) {
            return;
        }
        xml.append(' ').append(name).append("='");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '\'' -> xml.append("&apos;");
                case '"' -> xml.append("&quot;");
                default -> xml.append(c);
            }
        }
        xml.append('\'');
    }

    private static XmlPullParser.Event nextStartOrEnd(XmlPullParser parser) throws XmlPullParserException, IOException {
        while (true) {
            XmlPullParser.Event e = parser.next();
            switch (e) {
                case START_ELEMENT, END_ELEMENT, END_DOCUMENT -> {
                    return e;
                }
                case TEXT_CHARACTERS -> {
                    if (!parser.isWhiteSpace()) {
                        return e;
                    }
                }
                default -> {
                }
            }
        }
    }

    private static void expectEnd(XmlPullParser parser) throws XmlPullParserException, IOException, PlaintextException {
        XmlPullParser.Event e = nextStartOrEnd(parser);
        if (e != XmlPullParser.Event.END_ELEMENT || !WRAPPER.equals(parser.getName()) || parser.getDepth() != 1) {
            throw new PlaintextException("decrypted content holds more than one message element");
        }
    }

    /**
     * This thread's parser, set to read one plaintext; closing it drops the input. A nested
     * use on the same thread (a provider that decrypts while parsing) gets a fresh parser.
     */
    private static final class Reusable implements AutoCloseable {
        private static final ThreadLocal<Reusable> PER_THREAD = new ThreadLocal<>();

        private final org.xmlpull.v1.XmlPullParser xpp;
        private final XmlPullParser parser;
        private boolean inUse;

        private Reusable() throws XmlPullParserException {
            try {
                xpp = new MXParser(); // what XPP3's factory creates
                xpp.setFeature(org.xmlpull.v1.XmlPullParser.FEATURE_PROCESS_NAMESPACES, true);
                if (Xpp3XmlPullParserFactory.XML_PULL_PARSER_SUPPORTS_ROUNDTRIP) {
                    xpp.setFeature(Xpp3XmlPullParserFactory.FEATURE_XML_ROUNDTRIP, true);
                }
            } catch (org.xmlpull.v1.XmlPullParserException e) {
                throw new XmlPullParserException(e);
            }
            parser = new Xpp3XmlPullParser(xpp);
        }

        static Reusable parse(String xml) throws XmlPullParserException, IOException {
            Reusable r = PER_THREAD.get();
            if (r == null) {
                r = new Reusable();
                PER_THREAD.set(r);
            } else if (r.inUse) {
                r = new Reusable();
            }
            try {
                r.xpp.setInput(new StringReader(xml));
            } catch (org.xmlpull.v1.XmlPullParserException e) {
                throw new XmlPullParserException(e);
            }
            r.inUse = true;
            try {
                ParserUtils.forwardToStartElement(r.parser); // where PacketParserUtils.getParserFor leaves it
            } catch (XmlPullParserException | IOException | RuntimeException e) {
                r.close();
                throw e;
            }
            return r;
        }

        XmlPullParser parser() {
            return parser;
        }

        @Override
        public void close() {
            inUse = false;
            try {
                xpp.setInput(null); // keeps no reference to the plaintext
            } catch (org.xmlpull.v1.XmlPullParserException e) {
                throw new IllegalStateException("resetting an XPP3 parser cannot fail", e);
            }
        }
    }

    /** Decrypted and verified octets that are not the stanza content they should be. */
    static final class PlaintextException extends Exception {
        PlaintextException(String message) {
            super(message);
        }
    }
}
