package org.xp2p.schemas.smack;

import java.util.stream.Stream;
import org.jivesoftware.smack.packet.Stanza;

/**
 * Typed lookup of the extensions of a received stanza. Smack's own
 * {@code getExtension(Class)} needs one fixed element name per class and throws when the
 * registered provider returned another type, which ours do for invalid content.
 */
final class StanzaExtensions {
    private StanzaExtensions() {
    }

    static <E> Stream<E> ofType(Stanza stanza, Class<E> type) {
        return stanza.getExtensions().stream().filter(type::isInstance).map(type::cast);
    }
}
