package org.xp2p.xmpp.peers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.PeerInfo.Source;

/**
 * What we currently know about each peer, merged from every source. It keeps the latest
 * snapshot per (peer, source) and merges them per field: a field from a trusted source
 * (broker presence, signed DHT record, synchE2e) always beats an mDNS claim, and among
 * equally trusted sources the newest wins. A broker presence without {@code <e2e/>} says
 * the peer's keys are gone, so it also discards older synchE2e keys.
 *
 * <p>Thread-safe; listeners run on the thread that changed the directory, after the
 * change, outside the directory's lock.
 */
public final class PeerDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDirectory.class);

    /** Told about each change of a peer's merged view. */
    public interface Listener {
        void peerChanged(PeerInfo merged);

        void peerRemoved(String jid);
    }

    private final Map<String, Map<Source, PeerInfo>> snapshots = new HashMap<>();
    private final Map<String, PeerInfo> merged = new HashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Adds one source's snapshot; listeners hear of it when the merged view changed. */
    public void put(PeerInfo info) {
        PeerInfo now;
        synchronized (this) {
            Map<Source, PeerInfo> bySource = snapshots.computeIfAbsent(info.jid(), j -> new EnumMap<>(Source.class));
            PeerInfo before = bySource.get(info.source());
            if (before != null && before.learnedAt().isAfter(info.learnedAt())) {
                return; // an older snapshot of the same source arrived late
            }
            bySource.put(info.source(), info);
            if (info.source() == Source.BROKER_PRESENCE && info.e2eKeys().isEmpty()) {
                PeerInfo synch = bySource.get(Source.SYNCH_E2E);
                if (synch != null && synch.learnedAt().isBefore(info.learnedAt())) {
                    bySource.put(Source.SYNCH_E2E, synch.toBuilder().e2eKeys(null).build());
                }
            }
            now = merge(bySource.values());
            if (now.equals(merged.put(info.jid(), now))) {
                return;
            }
        }
        LOG.debug("Peer {} now {}", info.jid(), now);
        for (Listener l : listeners) {
            l.peerChanged(now);
        }
    }

    /** Forgets everything one source said about {@code jid} (e.g. unavailable presence). */
    public void remove(String jid, Source source) {
        PeerInfo now;
        synchronized (this) {
            Map<Source, PeerInfo> bySource = snapshots.get(jid);
            if (bySource == null || bySource.remove(source) == null) {
                return;
            }
            if (bySource.isEmpty() || (source == Source.BROKER_PRESENCE && !bySource.containsKey(Source.DHT)
                    && !bySource.containsKey(Source.MDNS))) {
                // synchE2e answers only add to what presence told us; without presence they are stale
                snapshots.remove(jid);
                merged.remove(jid);
                now = null;
            } else {
                now = merge(bySource.values());
                merged.put(jid, now);
            }
        }
        for (Listener l : listeners) {
            if (now == null) {
                l.peerRemoved(jid);
            } else {
                l.peerChanged(now);
            }
        }
    }

    public synchronized Optional<PeerInfo> get(String jid) {
        return Optional.ofNullable(merged.get(jid));
    }

    /** The snapshot {@code source} gave of {@code jid}, unmerged. */
    public synchronized Optional<PeerInfo> get(String jid, Source source) {
        Map<Source, PeerInfo> bySource = snapshots.get(jid);
        return bySource == null ? Optional.empty() : Optional.ofNullable(bySource.get(source));
    }

    public synchronized List<PeerInfo> all() {
        return List.copyOf(merged.values());
    }

    static boolean trusted(Source source) {
        return source != Source.MDNS;
    }

    /** Best first: trusted before mDNS, then newest. */
    private static final Comparator<PeerInfo> BEST = Comparator.comparing((PeerInfo p) -> trusted(p.source()))
            .thenComparing(PeerInfo::learnedAt).reversed();

    static PeerInfo merge(java.util.Collection<PeerInfo> snapshots) {
        List<PeerInfo> ranked = new ArrayList<>(snapshots);
        ranked.sort(BEST);
        PeerInfo top = ranked.get(0);
        PeerInfo.Builder b = PeerInfo.builder(top.jid(), top.source(), top.learnedAt());
        b.localEndpoints(best(ranked, p -> p.localEndpoints().isEmpty() ? null : p.localEndpoints()).orElse(List.of()));
        b.externalEndpoint(best(ranked, p -> p.externalEndpoint().orElse(null)).orElse(null));
        b.linkLocalInstance(best(ranked, p -> p.linkLocalInstance().orElse(null)).orElse(null));
        b.e2eKeys(best(ranked, p -> p.e2eKeys().orElse(null)).orElse(null));
        b.identityKey(best(ranked, p -> p.identityKey().orElse(null)).orElse(null));
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = ranked.size() - 1; i >= 0; i--) {
            attributes.putAll(ranked.get(i).attributes()); // the best source writes last
        }
        attributes.forEach(b::attribute);
        return b.build();
    }

    private static <T> Optional<T> best(List<PeerInfo> ranked, Function<PeerInfo, T> field) {
        for (PeerInfo p : ranked) {
            T value = field.apply(p);
            if (value != null) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
