package org.xp2p.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.xp2p.schemas.smack.FlatXml;

/**
 * The plaintext of a message, {@code <message [xml:lang] type>…</message>}, written in one
 * pass as UTF-8: octet for octet the encoding of what Smack renders for the message copied without id, to
 * and from (as {@link StanzaPlaintext} defines it), without building that copy and its
 * tree of string builders. Body, subject and thread, the message's own children, are
 * written here with Smack's escaping and its rules for when {@code xml:lang} repeats;
 * every other extension is rendered by Smack itself in the environment Smack would give it.
 * An error message is left to Smack entirely ({@code null}).
 *
 * <p>Stateless and thread-safe.
 */
final class MessagePlaintextWriter {
    private static final String CLIENT_NAMESPACE = StanzaPlaintext.CLIENT_NAMESPACE;
    private static final XmlEnvironment CLIENT = XmlEnvironment.builder().withNamespace(CLIENT_NAMESPACE).build();
    /** Per message type (by ordinal), {@code <message type='T'><body>}: the start of a body-only plaintext. */
    private static final byte[][] BODY_ONLY_START = bodyOnlyStarts();
    private static final byte[] BODY_ONLY_END = "</body></message>".getBytes(StandardCharsets.US_ASCII);

    private MessagePlaintextWriter() {
    }

    private static byte[][] bodyOnlyStarts() {
        Message.Type[] types = Message.Type.values();
        byte[][] starts = new byte[types.length][];
        for (Message.Type t : types) {
            starts[t.ordinal()] = ("<message type='" + t + "'><body>").getBytes(StandardCharsets.US_ASCII);
        }
        return starts;
    }

    /** The UTF-8 plaintext of {@code message}, or {@code null} for an error message, which only Smack renders. */
    static byte[] write(Message message) {
        // The copy Smack would render gets the type through getType(), so a message without
        // one says type='normal'.
        Message.Type type = message.getType();
        if (type == Message.Type.error) {
            return null;
        }
        byte[] bodyOnly = bodyOnly(message, type);
        if (bodyOnly != null) {
            return bodyOnly;
        }
        String language = message.getLanguage();
        List<ExtensionElement> extensions = message.getExtensions();
        Utf8 out = new Utf8().markup("<message");
        if (language != null) {
            attribute(out, "xml:lang", language);
        }
        attribute(out, "type", type.toString());
        out.markup(">");
        // What children see as the language in scope: Smack writes their xml:lang only when it differs.
        String inScope = language == null || language.isEmpty() ? null : language;
        XmlEnvironment environment = null;
        for (ExtensionElement e : extensions) {
            if (e.getClass() == Message.Body.class && CLIENT_NAMESPACE.equals(e.getNamespace())) {
                Message.Body body = (Message.Body) e;
                out.markup("<body");
                language(out, body.getLanguage(), inScope);
                out.markup(">");
                String text = body.getMessage();
                // Most bodies hold neither; the two searches are vectorised, an escaping loop is not.
                out.text(text.indexOf('<') < 0 && text.indexOf('&') < 0 ? text : escape(text, false));
                out.markup("</body>");
            } else if (e.getClass() == Message.Subject.class) {
                Message.Subject subject = (Message.Subject) e;
                out.markup("<subject");
                language(out, subject.getLanguage(), inScope);
                out.markup(">").text(escape(subject.getSubject(), true)).markup("</subject>");
            } else if (e.getClass() == Message.Thread.class) {
                Message.Thread thread = (Message.Thread) e;
                out.markup("<thread");
                if (thread.getParent() != null) {
                    attribute(out, Message.Thread.PARENT_ATTRIBUTE_NAME, thread.getParent());
                }
                out.markup(">").text(escape(thread.getThread(), true)).markup("</thread>");
            } else {
                if (environment == null) {
                    environment = XmlEnvironment.builder().withNamespace(CLIENT_NAMESPACE).withLanguage(language)
                            .withNext(CLIENT).build();
                }
                CharSequence xml = e.toXML(environment);
                out.text(FlatXml.of(xml));
            }
        }
        return out.markup("</message>").octets();
    }

    /**
     * The plaintext of the commonest message, a body and nothing else, without language,
     * whose text needs no escaping: its octets laid out at once, the markup encoded in
     * advance; {@code null} for any other message.
     */
    private static byte[] bodyOnly(Message message, Message.Type type) {
        if (message.getLanguage() != null) {
            return null;
        }
        List<ExtensionElement> children = message.getExtensions();
        ExtensionElement only = children.size() == 1 ? children.get(0) : null;
        if (only == null || only.getClass() != Message.Body.class || !CLIENT_NAMESPACE.equals(only.getNamespace())
                || ((Message.Body) only).getLanguage() != null) {
            return null;
        }
        String text = ((Message.Body) only).getMessage();
        if (text.indexOf('<') >= 0 || text.indexOf('&') >= 0) {
            return null;
        }
        byte[] start = BODY_ONLY_START[type.ordinal()];
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[start.length + body.length + BODY_ONLY_END.length];
        System.arraycopy(start, 0, out, 0, start.length);
        System.arraycopy(body, 0, out, start.length, body.length);
        System.arraycopy(BODY_ONLY_END, 0, out, start.length + body.length, BODY_ONLY_END.length);
        return out;
    }

    private static void language(Utf8 out, String language, String inScope) {
        if (language != null && !language.equals(inScope)) {
            attribute(out, "xml:lang", language);
        }
    }

    /** An attribute in apostrophes, escaped as Smack escapes one: {@code < & '}. */
    private static void attribute(Utf8 out, String name, String value) {
        StringBuilder escaped = null;
        int last = 0;
        for (int i = 0; i < value.length(); i++) {
            String entity = switch (value.charAt(i)) {
                case '<' -> "&lt;";
                case '&' -> "&amp;";
                case '\'' -> "&apos;";
                default -> null;
            };
            if (entity != null) {
                if (escaped == null) {
                    escaped = new StringBuilder(value.length() + 16);
                }
                escaped.append(value, last, i).append(entity);
                last = i + 1;
            }
        }
        out.markup(" ").markup(name).markup("='")
                .text(escaped == null ? value : escaped.append(value, last, value.length()).toString()).markup("'");
    }

    /** With {@code all}, Smack's {@code escape()}: {@code < > & " '}; otherwise its {@code text()}: {@code < &}. */
    private static String escape(String text, boolean all) {
        StringBuilder out = null;
        int last = 0;
        for (int i = 0; i < text.length(); i++) {
            String entity = switch (text.charAt(i)) {
                case '<' -> "&lt;";
                case '&' -> "&amp;";
                case '>' -> all ? "&gt;" : null;
                case '"' -> all ? "&quot;" : null;
                case '\'' -> all ? "&apos;" : null;
                default -> null;
            };
            if (entity != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16);
                }
                out.append(text, last, i).append(entity);
                last = i + 1;
            }
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    /**
     * UTF-8 octets gathered piece by piece and copied once into an array of the exact size
     * (a 4 KB body would otherwise be copied again to trim the array). Each text goes
     * through {@link String#getBytes}, as the whole plaintext did before; texts meet only at
     * markup, which is ASCII, so no surrogate pair is ever split and the octets are those
     * of the whole string.
     */
    private static final class Utf8 {
        private final List<Object> pieces = new ArrayList<>(12);
        private int length;

        /** ASCII markup: tag and attribute names, quotes and brackets. */
        Utf8 markup(String ascii) {
            pieces.add(ascii);
            length += ascii.length();
            return this;
        }

        Utf8 text(String text) {
            byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
            pieces.add(encoded);
            length += encoded.length;
            return this;
        }

        byte[] octets() {
            byte[] out = new byte[length];
            int at = 0;
            for (Object piece : pieces) {
                if (piece instanceof byte[] encoded) {
                    System.arraycopy(encoded, 0, out, at, encoded.length);
                    at += encoded.length;
                } else {
                    String ascii = (String) piece;
                    for (int i = 0; i < ascii.length(); i++) {
                        out[at++] = (byte) ascii.charAt(i);
                    }
                }
            }
            return out;
        }
    }
}
