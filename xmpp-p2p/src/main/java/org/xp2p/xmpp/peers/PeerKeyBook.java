package org.xp2p.xmpp.peers;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.PeerKeys;
import org.xp2p.schemas.smack.E2eElement;

/**
 * Each peer's usable E2E keys, following the {@link PeerDirectory}: a new {@code <e2e/>}
 * rotates the peer's keys (the previous ones still verify what it sent before), a peer
 * without keys has {@link PeerKeys#none()}. Thread-safe; updated on the directory's
 * listener thread, read by any thread.
 */
public final class PeerKeyBook implements PeerDirectory.Listener {
    private record Entry(E2eElement published, PeerKeys keys) {
    }

    private final E2eEndpoint endpoint;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public PeerKeyBook(E2eEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** The keys to encrypt for and verify {@code jid} (a full JID) with now. */
    public PeerKeys keysOf(String jid) {
        Entry e = entries.get(jid);
        return e == null ? PeerKeys.none() : e.keys();
    }

    public Optional<E2eElement> published(String jid) {
        return Optional.ofNullable(entries.get(jid)).map(Entry::published);
    }

    @Override
    public void peerChanged(PeerInfo merged) {
        entries.compute(merged.jid(), (jid, before) -> {
            E2eElement now = merged.e2eKeys().orElse(null);
            if (now == null) {
                return new Entry(null, PeerKeys.none());
            }
            if (before != null && now.equals(before.published())) {
                return before;
            }
            PeerKeys keys = before == null || before.published() == null
                    ? endpoint.peerKeys(now) : before.keys().rotatedTo(now, endpoint.policy());
            return new Entry(now, keys);
        });
    }

    @Override
    public void peerRemoved(String jid) {
        entries.remove(jid);
    }
}
