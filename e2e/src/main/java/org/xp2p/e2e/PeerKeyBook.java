package org.xp2p.e2e;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.Jid;
import org.xp2p.schemas.smack.E2eElement;

/**
 * The {@link PeerKeys} of every peer, by full JID, kept across presence updates so that a
 * peer's previous keys still verify what it sent before rotating, and so that keys are
 * decoded once per change, not once per stanza. Feed it every {@code <e2e/>} a peer
 * publishes (presence, synchE2e, DHT) and its absence. Thread-safe.
 */
public final class PeerKeyBook {
    private final E2ePolicy policy;
    private final Map<Jid, PeerKeys> peers = new ConcurrentHashMap<>();

    public PeerKeyBook(E2ePolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Records {@code e2e} as {@code peer}'s current keys; returns what the book now holds for it. */
    public PeerKeys update(Jid peer, E2eElement e2e) {
        return peers.compute(peer, (jid, known) -> known == null ? PeerKeys.of(e2e, policy) : known.rotatedTo(e2e, policy));
    }

    /**
     * The peer published an available presence without {@code <e2e/>}, or went away: its keys
     * are gone, as the wire specification says.
     */
    public void forget(Jid peer) {
        peers.remove(peer);
    }

    /** The peer's keys, {@link PeerKeys#none()} when it has published none. */
    public PeerKeys keys(Jid peer) {
        return peers.getOrDefault(peer, PeerKeys.none());
    }
}
