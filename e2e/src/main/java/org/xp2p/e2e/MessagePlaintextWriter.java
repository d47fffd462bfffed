package org.xp2p.e2e;

import java.util.List;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;

/**
 * The plaintext of a message, {@code <message [xml:lang] type>…</message>}, written in one
 * pass: character for character what Smack renders for the message copied without id, to
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
    /** Room for the tags and attributes around the texts, in chars. */
    private static final int MARKUP_CHARS = 96;

    private MessagePlaintextWriter() {
    }

    /** The plaintext of {@code message}, or {@code null} for an error message, which only Smack renders. */
    static String write(Message message) {
        // The copy Smack would render gets the type through getType(), so a message without
        // one says type='normal'.
        Message.Type type = message.getType();
        if (type == Message.Type.error) {
            return null;
        }
        String language = message.getLanguage();
        List<ExtensionElement> extensions = message.getExtensions();
        int capacity = MARKUP_CHARS;
        for (ExtensionElement e : extensions) {
            if (e instanceof Message.Body body) {
                capacity += body.getMessage().length() + MARKUP_CHARS / 2;
            }
        }
        StringBuilder out = new StringBuilder(capacity).append("<message");
        if (language != null) {
            attribute(out, "xml:lang", language);
        }
        attribute(out, "type", type.toString());
        out.append('>');
        // What children see as the language in scope: Smack writes their xml:lang only when it differs.
        String inScope = language == null || language.isEmpty() ? null : language;
        XmlEnvironment environment = null;
        for (ExtensionElement e : extensions) {
            if (e.getClass() == Message.Body.class && CLIENT_NAMESPACE.equals(e.getNamespace())) {
                Message.Body body = (Message.Body) e;
                out.append("<body");
                language(out, body.getLanguage(), inScope);
                out.append('>');
                text(out, body.getMessage());
                out.append("</body>");
            } else if (e.getClass() == Message.Subject.class) {
                Message.Subject subject = (Message.Subject) e;
                out.append("<subject");
                language(out, subject.getLanguage(), inScope);
                out.append('>');
                escape(out, subject.getSubject(), true);
                out.append("</subject>");
            } else if (e.getClass() == Message.Thread.class) {
                Message.Thread thread = (Message.Thread) e;
                out.append("<thread");
                if (thread.getParent() != null) {
                    attribute(out, Message.Thread.PARENT_ATTRIBUTE_NAME, thread.getParent());
                }
                out.append('>');
                escape(out, thread.getThread(), true);
                out.append("</thread>");
            } else {
                if (environment == null) {
                    environment = XmlEnvironment.builder().withNamespace(CLIENT_NAMESPACE).withLanguage(language)
                            .withNext(CLIENT).build();
                }
                CharSequence xml = e.toXML(environment);
                out.append(xml instanceof XmlStringBuilder x ? StanzaPlaintext.text(x) : xml.toString());
            }
        }
        return out.append("</message>").toString();
    }

    private static void language(StringBuilder out, String language, String inScope) {
        if (language != null && !language.equals(inScope)) {
            attribute(out, "xml:lang", language);
        }
    }

    /** An attribute in apostrophes, escaped as Smack escapes one: {@code < & '}. */
    private static void attribute(StringBuilder out, String name, String value) {
        out.append(' ').append(name).append("='");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '&' -> out.append("&amp;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        out.append('\'');
    }

    /** Element text as Smack's {@code text()} escapes it: only {@code <} and {@code &}. */
    private static void text(StringBuilder out, String text) {
        // Most bodies hold neither; the two searches are vectorised, the loop is not.
        if (text.indexOf('<') < 0 && text.indexOf('&') < 0) {
            out.append(text);
        } else {
            escape(out, text, false);
        }
    }

    /** With {@code all}, Smack's {@code escape()}: {@code < > & " '}; otherwise {@code < &}. */
    private static void escape(StringBuilder out, String text, boolean all) {
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
                out.append(text, last, i).append(entity);
                last = i + 1;
            }
        }
        out.append(text, last, text.length());
    }
}
