package org.xp2p.xmpp.secure;

import java.util.Optional;
import org.xp2p.schemas.smack.E2eElement;

/**
 * A stricter rule than the allow-list for some peer names: when a name is bound to one
 * identity key (for instance by a signed DHT record), only that key may prove it, and
 * only over the E2E keys the binding expects. {@link E2eStanzaProtector} asks it after an
 * identity proof verified, on both the initiating and the answering side.
 *
 * <p>Called from the device's executor, possibly concurrently, and may block briefly (a
 * fresh record lookup); implementations must be thread-safe.
 */
@FunctionalInterface
public interface PeerBinding {

    /** Binds nothing: every allowed key may prove every name (the allow-list alone decides). */
    PeerBinding NONE = (peer, identityKey, presentedKeys) -> Optional.empty();

    /**
     * @param peer          the name the peer claims (stream {@code from}, or the name we dialled)
     * @param identityKey   the key whose proof verified (32 octets)
     * @param presentedKeys the E2E keys the peer sent in synchE2e, which the proof covers
     * @return empty to accept, or why the peer is refused
     */
    Optional<String> refusal(String peer, byte[] identityKey, E2eElement presentedKeys);
}
