package org.xp2p.e2e;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of an {@link E2eEndpoint}: stanzas encrypted, decrypted, accepted in plaintext, rejected by reason. Thread-safe. */
public final class E2eStats {
    private final LongAdder encrypted = new LongAdder();
    private final LongAdder sentPlain = new LongAdder();
    private final LongAdder decrypted = new LongAdder();
    private final LongAdder acceptedPlain = new LongAdder();
    private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);
    private final LongAdder droppedMessages = new LongAdder();
    private final LongAdder signatureBatches = new LongAdder();
    private final LongAdder batchedSignatures = new LongAdder();

    E2eStats() {
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, new LongAdder());
        }
    }

    /**
     * An immutable copy of the counters.
     *
     * @param signatureBatches  how many times deferred signatures were checked, together or alone
     * @param batchedSignatures how many signatures those checks held
     */
    public record Snapshot(long encrypted, long sentPlain, long decrypted, long acceptedPlain,
                           Map<RejectReason, Long> rejected, long droppedMessages, long signatureBatches,
                           long batchedSignatures) {
        public long rejected(RejectReason reason) {
            return rejected.getOrDefault(reason, 0L);
        }
    }

    public Snapshot snapshot() {
        Map<RejectReason, Long> r = new EnumMap<>(RejectReason.class);
        rejected.forEach((k, v) -> r.put(k, v.sum()));
        return new Snapshot(encrypted.sum(), sentPlain.sum(), decrypted.sum(), acceptedPlain.sum(), Map.copyOf(r),
                droppedMessages.sum(), signatureBatches.sum(), batchedSignatures.sum());
    }

    void encrypted() {
        encrypted.increment();
    }

    void sentPlain() {
        sentPlain.increment();
    }

    void decrypted() {
        decrypted.increment();
    }

    void signaturesBatched(int signatures) {
        signatureBatches.increment();
        batchedSignatures.add(signatures);
    }

    void acceptedPlain() {
        acceptedPlain.increment();
    }

    void rejected(RejectReason reason, boolean message) {
        rejected.get(reason).increment();
        if (message) {
            droppedMessages.increment();
        }
    }
}
