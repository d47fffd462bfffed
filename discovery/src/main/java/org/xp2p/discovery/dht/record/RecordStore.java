package org.xp2p.discovery.dht.record;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.xp2p.discovery.dht.NodeId;

/**
 * The records one node holds for others, of every kind in one map (the keys of different
 * kinds never collide: each kind hashes its own prefix), and the storage rules every node
 * enforces on all of them alike:
 * key derivation checked, seq only ever rises (equal seq + equal bytes refreshes), validity
 * window capped, clock skew tolerated within bounds, a capacity limit. Signatures were
 * already verified when the {@link SignedRecord} was decoded.
 *
 * <p>Not thread-safe: owned by its node's event-loop thread.
 */
public final class RecordStore {

    /** Longest validity window a record may claim. */
    public static final long MAX_LIFETIME_MILLIS = 2 * 60 * 60 * 1000L;
    /** How far the publisher's clock may be off ours. */
    public static final long CLOCK_SKEW_MILLIS = 5 * 60 * 1000L;

    private final int capacity;
    private final Predicate<byte[]> keyAllowed;
    private final Map<NodeId, Entry> entries = new HashMap<>();

    private record Entry(SignedRecord record, long dropAtMillis) {
    }

    /**
     * @param capacity most records held at once
     * @param keyAllowed whether an identity key may store here (the allow-list in a private network)
     */
    public RecordStore(int capacity, Predicate<byte[]> keyAllowed) {
        this.capacity = capacity;
        this.keyAllowed = keyAllowed;
    }

    /** Applies the storage rules to a verified record offered under {@code key}. */
    public StoreOutcome offer(NodeId key, SignedRecord candidate, long nowMillis) {
        DhtRecord r = candidate.record();
        if (!key.equals(r.key())) {
            return StoreOutcome.REJECTED_KEY_MISMATCH;
        }
        if (!keyAllowed.test(r.identityKey())) {
            return StoreOutcome.REJECTED_NOT_ALLOWED;
        }
        if (r.expiresAtMillis() - r.issuedAtMillis() > MAX_LIFETIME_MILLIS) {
            return StoreOutcome.REJECTED_LIFETIME;
        }
        if (r.issuedAtMillis() > nowMillis + CLOCK_SKEW_MILLIS) {
            return StoreOutcome.REJECTED_FROM_FUTURE;
        }
        if (r.expiresAtMillis() + CLOCK_SKEW_MILLIS <= nowMillis) {
            return StoreOutcome.REJECTED_EXPIRED;
        }
        // Held until it expires (with the skew allowance) and never longer than the cap from now.
        long dropAt = Math.min(r.expiresAtMillis() + CLOCK_SKEW_MILLIS, nowMillis + MAX_LIFETIME_MILLIS);
        Entry held = live(key, nowMillis);
        if (held == null) {
            if (entries.size() >= capacity) {
                expire(nowMillis);
                if (entries.size() >= capacity) {
                    return StoreOutcome.REJECTED_FULL;
                }
            }
            entries.put(key, new Entry(candidate, dropAt));
            return StoreOutcome.STORED;
        }
        long heldSeq = held.record.seq();
        if (candidate.seq() > heldSeq) {
            entries.put(key, new Entry(candidate, dropAt));
            return StoreOutcome.REPLACED;
        }
        if (candidate.seq() < heldSeq) {
            return StoreOutcome.REJECTED_OLDER_SEQ;
        }
        if (!candidate.sameBytes(held.record)) {
            return StoreOutcome.REJECTED_SEQ_CONFLICT;
        }
        entries.put(key, new Entry(held.record, Math.max(held.dropAtMillis, dropAt)));
        return StoreOutcome.REFRESHED;
    }

    public Optional<SignedRecord> get(NodeId key, long nowMillis) {
        Entry e = live(key, nowMillis);
        return e == null ? Optional.empty() : Optional.of(e.record);
    }

    private Entry live(NodeId key, long nowMillis) {
        Entry e = entries.get(key);
        if (e != null && e.dropAtMillis <= nowMillis) {
            entries.remove(key);
            return null;
        }
        return e;
    }

    /** Drops every record past its time; returns how many. */
    public int expire(long nowMillis) {
        int n = 0;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (it.next().dropAtMillis <= nowMillis) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    public int size() {
        return entries.size();
    }
}
