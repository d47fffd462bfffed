package org.xp2p.e2e;

import java.util.ArrayList;
import java.util.List;
import javax.xml.namespace.QName;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.provider.BodyElementProvider;
import org.jivesoftware.smack.provider.MessageSubjectElementProvider;
import org.jivesoftware.smack.provider.MessageThreadElementProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jxmpp.jid.Jid;

/**
 * Reads the common plaintext of a message, {@code <message [type] [xml:lang]>} holding only
 * {@code <body/>}, {@code <subject/>} and {@code <thread/>} with plain text, without an XML
 * parser: a 4 KB body costs the parser more than decrypting it. The message it builds is
 * the one Smack's parser and providers build from the same plaintext ({@link StanzaPlaintext#toMessage}).
 *
 * <p>It reads only what it is sure of, and answers {@code null} for everything else,
 * which then goes to Smack's parser: other attributes or children, namespace declarations,
 * character references and entities other than the five predefined ones, carriage returns
 * (which XML turns into line feeds), whitespace in attribute values (which it turns into
 * spaces), {@code ]]>}, unknown types, a thread Smack would refuse, or a body, subject or
 * thread provider other than Smack's own. Malformed plaintext is therefore always judged,
 * and its error worded, by Smack's parser.
 *
 * <p>Stateless apart from one instance per call; thread-safe.
 */
final class MessagePlaintextReader {
    private static final String CLIENT_NAMESPACE = StanzaPlaintext.CLIENT_NAMESPACE;
    private static final int UNKNOWN = -2;
    /** The types {@link #type} reads, commonest first. */
    private static final Message.Type[] BODY_ONLY_TYPES = {
        Message.Type.chat, Message.Type.normal, Message.Type.groupchat, Message.Type.headline};
    private static final String[] BODY_ONLY_START = bodyOnlyStarts();
    private static final String BODY_ONLY_END = "</body></message>";

    private final String xml;
    private int pos;
    // Next index of a character that text must not hold to be read here, searched for
    // once per occurrence rather than once per text (-1: none left; UNKNOWN: not searched).
    private int nextAmpersand = UNKNOWN;
    private int nextCarriageReturn = UNKNOWN;
    private int nextGreaterThan = UNKNOWN;
    // Attributes of the start tag just read: at most the two each element may carry.
    private String firstValue;
    private String secondValue;

    private MessagePlaintextReader(String xml) {
        this.xml = xml;
    }

    /** The message {@code plaintext} holds, with the outer id, from and to, or {@code null} when Smack must read it. */
    static Message read(String plaintext, String id, Jid from, Jid to) {
        Message bodyOnly = bodyOnly(plaintext, id, from, to);
        return bodyOnly != null ? bodyOnly : new MessagePlaintextReader(plaintext).message(id, from, to);
    }

    /**
     * The commonest plaintext, exactly as {@link MessagePlaintextWriter} lays out a message
     * holding one body and nothing else: {@code <message type='T'><body>text</body></message>}
     * with no markup, reference or carriage return in the text; {@code null} for anything else.
     */
    private static Message bodyOnly(String xml, String id, Jid from, Jid to) {
        int textEnd = xml.length() - BODY_ONLY_END.length();
        if (!xml.endsWith(BODY_ONLY_END)) {
            return null;
        }
        for (Message.Type type : BODY_ONLY_TYPES) {
            String start = BODY_ONLY_START[type.ordinal()];
            if (!xml.startsWith(start)) {
                continue;
            }
            int textStart = start.length();
            boolean plainText = textStart <= textEnd && xml.indexOf('<', textStart) == textEnd
                    && xml.indexOf('&', textStart) < 0 && xml.indexOf('\r', textStart) < 0
                    && (xml.indexOf('>', textStart) > textEnd || xml.indexOf("]]>", textStart) < 0);
            if (!plainText || provider(Message.Body.QNAME) != BodyElementProvider.class) {
                return null;
            }
            return StanzaBuilder.buildMessage(id).from(from).to(to).ofType(type)
                    .addExtension(new Message.Body(null, xml.substring(textStart, textEnd))).build();
        }
        return null;
    }

    private Message message(String id, Jid from, Jid to) {
        if (!xml.startsWith("<message")) {
            return null;
        }
        pos = "<message".length();
        Boolean empty = startTag("type", "xml:lang");
        if (empty == null) {
            return null;
        }
        Message.Type type = type(firstValue);
        if (firstValue != null && type == null) {
            return null;
        }
        String language = secondValue;
        List<ExtensionElement> children = new ArrayList<>(2);
        if (!empty) {
            while (true) {
                skipWhitespace();
                if (xml.startsWith("</message>", pos)) {
                    pos += "</message>".length();
                    break;
                }
                ExtensionElement child = child();
                if (child == null) {
                    return null;
                }
                children.add(child);
            }
        }
        if (pos != xml.length()) {
            return null;
        }
        // As StanzaPlaintext rebuilds Smack's parse: a message read without type has type normal.
        MessageBuilder builder = StanzaBuilder.buildMessage(id).from(from).to(to)
                .ofType(type == null ? Message.Type.normal : type).setLanguage(language);
        for (ExtensionElement child : children) {
            builder.addExtension(child);
        }
        return builder.build();
    }

    private static String[] bodyOnlyStarts() {
        String[] starts = new String[Message.Type.values().length];
        for (Message.Type t : BODY_ONLY_TYPES) {
            starts[t.ordinal()] = "<message type='" + t + "'><body>";
        }
        return starts;
    }

    /** The types Smack reads as written; the rest (other spellings, error) goes to Smack. */
    private static Message.Type type(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "chat" -> Message.Type.chat;
            case "groupchat" -> Message.Type.groupchat;
            case "headline" -> Message.Type.headline;
            case "normal" -> Message.Type.normal;
            default -> null;
        };
    }

    private ExtensionElement child() {
        if (xml.startsWith("<body", pos)) {
            pos += "<body".length();
            Boolean empty = startTag("xml:lang", null);
            String text = empty == null ? null : content(empty, "</body>");
            if (text == null || provider(Message.Body.QNAME) != BodyElementProvider.class) {
                return null;
            }
            return new Message.Body(firstValue, text);
        }
        if (xml.startsWith("<subject", pos)) {
            pos += "<subject".length();
            Boolean empty = startTag("xml:lang", null);
            String text = empty == null ? null : content(empty, "</subject>");
            if (text == null || provider(Message.Subject.QNAME) != MessageSubjectElementProvider.class) {
                return null;
            }
            return new Message.Subject(firstValue, text);
        }
        if (xml.startsWith("<thread", pos)) {
            pos += "<thread".length();
            Boolean empty = startTag(Message.Thread.PARENT_ATTRIBUTE_NAME, null);
            String text = empty == null ? null : content(empty, "</thread>");
            String parent = firstValue;
            // Smack refuses an empty thread or parent; let it say so.
            if (text == null || text.isEmpty() || (parent != null && parent.isEmpty())
                    || provider(Message.Thread.QNAME) != MessageThreadElementProvider.class) {
                return null;
            }
            return new Message.Thread(text, parent);
        }
        return null;
    }

    /** The class of the provider Smack would hand this child to; an application may have replaced it. */
    private static Class<?> provider(QName element) {
        Object p = ProviderManager.getExtensionProvider(element);
        return p == null ? null : p.getClass();
    }

    /**
     * The rest of a start tag whose name was just read, allowing only the attributes
     * {@code first} and {@code second} (their values in {@link #firstValue} and
     * {@link #secondValue}): {@code false} after {@code >}, {@code true} after {@code />},
     * {@code null} when the tag is anything else.
     */
    private Boolean startTag(String first, String second) {
        firstValue = null;
        secondValue = null;
        boolean seenFirst = false;
        boolean seenSecond = false;
        while (pos < xml.length()) {
            char c = xml.charAt(pos);
            if (c == '>') {
                pos++;
                return false;
            }
            if (c == '/') {
                if (!xml.startsWith("/>", pos)) {
                    return null;
                }
                pos += 2;
                return true;
            }
            if (!isWhitespace(c)) {
                return null; // the name goes on, or an attribute follows without whitespace
            }
            skipWhitespace();
            if (pos < xml.length() && (xml.charAt(pos) == '>' || xml.charAt(pos) == '/')) {
                continue;
            }
            if (!seenFirst && attributeNamed(first)) {
                firstValue = attributeValue();
                seenFirst = true;
            } else if (second != null && !seenSecond && attributeNamed(second)) {
                secondValue = attributeValue();
                seenSecond = true;
            } else {
                return null; // another attribute, or one repeated
            }
            if (firstValue == null && seenFirst || secondValue == null && seenSecond) {
                return null;
            }
        }
        return null;
    }

    private boolean attributeNamed(String name) {
        if (!xml.startsWith(name, pos) || pos + name.length() + 1 >= xml.length()
                || xml.charAt(pos + name.length()) != '=') {
            return false;
        }
        pos += name.length() + 1;
        return true;
    }

    /** A quoted value that XML reads as written, or {@code null}. */
    private String attributeValue() {
        char quote = xml.charAt(pos);
        if (quote != '\'' && quote != '"') {
            return null;
        }
        int end = xml.indexOf(quote, pos + 1);
        if (end < 0) {
            return null;
        }
        for (int i = pos + 1; i < end; i++) {
            char c = xml.charAt(i);
            if (c == '<' || c == '&' || c == '\t' || c == '\n' || c == '\r') {
                return null;
            }
        }
        String value = xml.substring(pos + 1, end);
        pos = end + 1;
        return value;
    }

    /** The text of an element up to its end tag {@code close}, or {@code null} when it is not plain text. */
    private String content(boolean empty, String close) {
        if (empty) {
            return "";
        }
        int end = xml.indexOf('<', pos);
        if (end < 0 || !xml.startsWith(close, end)) {
            return null;
        }
        nextCarriageReturn = next('\r', nextCarriageReturn);
        if (inText(nextCarriageReturn, end)) {
            return null;
        }
        // Most texts hold no '>' at all, and a search for one character is cheaper than for three.
        nextGreaterThan = next('>', nextGreaterThan);
        if (inText(nextGreaterThan, end)) {
            int cdataEnd = xml.indexOf("]]>", pos);
            if (inText(cdataEnd, end)) {
                return null;
            }
        }
        nextAmpersand = next('&', nextAmpersand);
        String text = inText(nextAmpersand, end) ? unescape(end) : xml.substring(pos, end);
        pos = end + close.length();
        return text;
    }

    private int next(char c, int known) {
        return known == UNKNOWN || known >= 0 && known < pos ? xml.indexOf(c, pos) : known;
    }

    private static boolean inText(int index, int end) {
        return index >= 0 && index < end;
    }

    /** The text from {@link #pos} to {@code end} with the five predefined entities replaced; {@code null} for any other reference. */
    private String unescape(int end) {
        StringBuilder out = new StringBuilder(end - pos);
        int last = pos;
        int amp = nextAmpersand;
        while (amp >= 0 && amp < end) {
            int semicolon = xml.indexOf(';', amp);
            if (semicolon < 0 || semicolon >= end) {
                return null;
            }
            char replacement;
            switch (xml.substring(amp + 1, semicolon)) {
                case "lt" -> replacement = '<';
                case "gt" -> replacement = '>';
                case "amp" -> replacement = '&';
                case "quot" -> replacement = '"';
                case "apos" -> replacement = '\'';
                default -> {
                    return null; // character references and undeclared entities: Smack's parser decides
                }
            }
            out.append(xml, last, amp).append(replacement);
            last = semicolon + 1;
            amp = xml.indexOf('&', last);
        }
        nextAmpersand = amp;
        return out.append(xml, last, end).toString();
    }

    private void skipWhitespace() {
        while (pos < xml.length() && isWhitespace(xml.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
