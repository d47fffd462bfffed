package org.xp2p.xmpp.link;

import java.lang.reflect.Field;
import org.jivesoftware.smack.util.LazyStringBuilder;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Smack's XML of an element as one string, exactly what {@code toString()} gives, in time
 * proportional to its length. Smack's own {@code toString()} appends each nested element
 * character by character through {@code charAt}, and each {@code charAt} walks (and
 * measures) the element's parts again: for an encrypted stanza that cost about as much as
 * signing it, on the sender's lane. Smack's linear writers ({@code toXML(XmlEnvironment)},
 * {@code write}) are no substitute: they drop a namespace declaration that repeats one made
 * earlier in the same element, even on a sibling, which turns an error's
 * {@code <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>} into a {@code jabber:client}
 * element its reader ignores.
 *
 * <p>So this walks the parts itself, which needs the builder's private part list; if a
 * Smack version hides it differently, it falls back to {@code toString()} (slow, correct).
 * Stateless and thread-safe.
 */
final class FlatXml {
    private static final Logger LOG = LoggerFactory.getLogger(FlatXml.class);
    private static final Field PARTS = partsField();

    private FlatXml() {
    }

    /** Whether this Smack version lets us walk the parts (else every stanza goes through toString()). */
    static boolean linear() {
        return PARTS != null;
    }

    static String of(CharSequence xml) {
        if (PARTS == null || !(xml instanceof XmlStringBuilder builder)) {
            return xml.toString();
        }
        StringBuilder out = new StringBuilder(256);
        append(out, builder);
        return out.toString();
    }

    private static void append(StringBuilder out, XmlStringBuilder builder) {
        LazyStringBuilder parts;
        try {
            parts = (LazyStringBuilder) PARTS.get(builder);
        } catch (IllegalAccessException e) {
            out.append(builder); // cannot happen once the field was made accessible
            return;
        }
        append(out, parts);
    }

    private static void append(StringBuilder out, LazyStringBuilder parts) {
        for (CharSequence part : parts.getAsList()) {
            if (part instanceof XmlStringBuilder nested) {
                append(out, nested);
            } else if (part instanceof LazyStringBuilder nested) {
                append(out, nested);
            } else {
                out.append(part.toString()); // a String, or a namespace declaration printing itself
            }
        }
    }

    private static Field partsField() {
        try {
            Field f = XmlStringBuilder.class.getDeclaredField("sb");
            if (f.getType() != LazyStringBuilder.class) {
                throw new NoSuchFieldException("sb is a " + f.getType().getName());
            }
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Writing stanzas through Smack's slower toString(): {}", e.toString());
            return null;
        }
    }
}
