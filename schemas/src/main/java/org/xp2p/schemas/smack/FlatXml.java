package org.xp2p.schemas.smack;

import java.util.List;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;

/**
 * Smack's XML of an element as one string, exactly what {@code toString()} gives, in time
 * proportional to its length. Smack's own {@code toString()} appends nested elements
 * character by character, and each {@code charAt} walks the element's parts again: for an
 * encrypted stanza or a 4 KB body that costs about as much as the cryptography.
 *
 * <p>Here the parts Smack lists ({@code toList}) are joined whole. That list leaves out a
 * namespace declaration repeating one already in scope, even on a sibling, which
 * {@code toString()} keeps (an error's {@code <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>}
 * would otherwise fall into {@code jabber:client}); when it left anything out the lengths
 * differ, and Smack's own rendering is returned. Stateless and thread-safe.
 */
public final class FlatXml {
    private FlatXml() {
    }

    public static String of(CharSequence xml) {
        if (!(xml instanceof XmlStringBuilder builder)) {
            return xml.toString();
        }
        int length = builder.length();
        List<CharSequence> parts = builder.toList(XmlEnvironment.EMPTY);
        StringBuilder out = new StringBuilder(length);
        for (CharSequence part : parts) {
            out.append(part.toString());
        }
        return out.length() == length ? out.toString() : builder.toString();
    }
}
