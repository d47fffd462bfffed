package org.xp2p.discovery.dht;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.xp2p.discovery.dht.record.StoreOutcome;
import org.xp2p.discovery.dht.wire.DropReason;

/**
 * Counters of one node: datagrams in and out, drops by reason, store outcomes, lookups.
 * Written by the node's loop, readable from any thread.
 */
public final class DhtStats {

    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final java.util.concurrent.atomic.AtomicLong maxSentOctets = new java.util.concurrent.atomic.AtomicLong();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    private final Map<StoreOutcome, LongAdder> stores = new EnumMap<>(StoreOutcome.class);
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder challengesPassed = new LongAdder();
    private final LongAdder challengesFailed = new LongAdder();
    private final LongAdder invalidRecordsSeen = new LongAdder();
    private final Map<DropReason, LongAdder> invalidRecords = new EnumMap<>(DropReason.class);
    private final LongAdder writeBacks = new LongAdder();
    private final LongAdder dialBacksSent = new LongAdder();
    private final LongAdder dialBacksRefused = new LongAdder();
    private final LongAdder probesCounted = new LongAdder();
    private final LongAdder probesIgnored = new LongAdder();
    private final LongAdder reachabilityChecks = new LongAdder();

    DhtStats() {
        for (DropReason r : DropReason.values()) {
            dropped.put(r, new LongAdder());
            invalidRecords.put(r, new LongAdder());
        }
        for (StoreOutcome o : StoreOutcome.values()) {
            stores.put(o, new LongAdder());
        }
    }

    void countReceived() { received.increment(); }
    void countSent(int octets) {
        sent.increment();
        maxSentOctets.accumulateAndGet(octets, Math::max);
    }
    void countDropped(DropReason r) { dropped.get(r).increment(); }
    void countStored(StoreOutcome o) { stores.get(o).increment(); }
    void countTimeout() { timeouts.increment(); }
    void countChallenge(boolean passed) { (passed ? challengesPassed : challengesFailed).increment(); }
    void countInvalidRecord() { invalidRecordsSeen.increment(); }
    void countInvalidRecord(DropReason why) {
        invalidRecordsSeen.increment();
        invalidRecords.get(why).increment();
    }
    void countWriteBack() { writeBacks.increment(); }
    void countDialBack(boolean sent) { (sent ? dialBacksSent : dialBacksRefused).increment(); }
    void countProbe(boolean counted) { (counted ? probesCounted : probesIgnored).increment(); }
    void countReachabilityCheck() { reachabilityChecks.increment(); }

    public long received() { return received.sum(); }
    public long sent() { return sent.sum(); }
    /** Largest datagram this node sent, in octets. */
    public long maxSentOctets() { return maxSentOctets.get(); }
    public long dropped(DropReason r) { return dropped.get(r).sum(); }
    public long droppedTotal() { return dropped.values().stream().mapToLong(LongAdder::sum).sum(); }
    public long stores(StoreOutcome o) { return stores.get(o).sum(); }
    public long timeouts() { return timeouts.sum(); }
    public long challengesPassed() { return challengesPassed.sum(); }
    public long challengesFailed() { return challengesFailed.sum(); }
    /** Records in replies that failed verification or key derivation (forged or squatted). */
    public long invalidRecordsSeen() { return invalidRecordsSeen.sum(); }
    /** Records offered for storage or returned by lookups that failed to decode or verify, by why. */
    public long invalidRecords(DropReason why) { return invalidRecords.get(why).sum(); }
    public long writeBacks() { return writeBacks.sum(); }
    /** Dial-back probes this node sent for others. */
    public long dialBacksSent() { return dialBacksSent.sum(); }
    /** DIAL_BACK requests refused by the rate limits. */
    public long dialBacksRefused() { return dialBacksRefused.sum(); }
    /** Probes that confirmed this node's reachability. */
    public long probesCounted() { return probesCounted.sum(); }
    /** Probes ignored: no check running, unknown nonce, or from an address we had sent to. */
    public long probesIgnored() { return probesIgnored.sum(); }
    /** Reachability rounds this node started (asked helpers to dial it back). */
    public long reachabilityChecks() { return reachabilityChecks.sum(); }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("DhtStats[received=" + received() + " sent=" + sent() + " timeouts="
                + timeouts() + " challenges=" + challengesPassed() + "/" + challengesFailed());
        dropped.forEach((r, n) -> {
            if (n.sum() > 0) {
                b.append(' ').append(r).append('=').append(n.sum());
            }
        });
        invalidRecords.forEach((r, n) -> {
            if (n.sum() > 0) {
                b.append(" invalidRecord.").append(r).append('=').append(n.sum());
            }
        });
        return b.append(']').toString();
    }
}
