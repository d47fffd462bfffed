package org.xp2p.discovery.dht;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.discovery.dht.net.EventLoop;
import org.xp2p.discovery.dht.record.PublicRecord;
import org.xp2p.discovery.dht.record.RecordStore;
import org.xp2p.discovery.dht.record.SignedRecord;

/**
 * Small public data items in the DHT, for applications: anyone can read an item, only its
 * owner can write it. An item is named by its owner's identity key and a topic (such as
 * "traffic"); {@link #publish} signs the payload with this node's identity key under a new
 * seq (Unix milliseconds, always rising per topic) and stores it at the k closest nodes,
 * and keeps it published: it is republished well before it expires, and a publish that no
 * node accepted is retried with backoff. {@link #read} finds the newest verified item of any
 * owner over the same quorum lookup (and write-back of stale copies) as presence records.
 * Every node applies the storage rules of {@link RecordStore} to items as to presence.
 *
 * <p>An item stays readable until its expiry ({@link #LIFETIME_MILLIS} after it was issued,
 * plus the nodes' clock-skew allowance) even after {@link #stop} or {@link #close()}: the DHT
 * has no delete, so an owner that wants to say "gone" publishes a payload saying so.
 *
 * <p>Threads: none of its own. Its republish timers run on the node's event loop, and the
 * futures it returns complete on that loop thread: do not block in their callbacks (use
 * the {@code *Async} variants to move work elsewhere). Methods may be called from any
 * thread. {@link #close()} cancels the timers; it does not close the node, which the caller
 * owns.
 */
public final class PublicRecords implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PublicRecords.class);

    public static final long LIFETIME_MILLIS = RecordStore.MAX_LIFETIME_MILLIS;
    public static final long REPUBLISH_MILLIS = 45 * 60 * 1000L;
    private static final long FIRST_RETRY_MILLIS = 30_000;
    private static final long MAX_RETRY_MILLIS = 5 * 60 * 1000L;

    /** What this node keeps published under one topic; touched only on the loop, except lastSeq. */
    private static final class Topic {
        final String name;
        byte[] payload;
        volatile long lastSeq = -1;
        EventLoop.Timer timer;
        long retryMillis = FIRST_RETRY_MILLIS;

        Topic(String name) {
            this.name = name;
        }
    }

    private final DhtNode node;
    private final NodeIdentity owner;
    private final EventLoop loop;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public PublicRecords(DhtNode node) {
        this.node = Objects.requireNonNull(node, "node");
        this.owner = node.identity();
        this.loop = node.loop();
    }

    /** The identity key items published here are signed with, which readers pass to {@link #read}. */
    public byte[] ownerKey() {
        return owner.publicKey();
    }

    /**
     * Publishes {@code payload} under {@code topic} now, with a seq above every earlier one of
     * this topic, and keeps it published until {@link #stop} or {@link #close()}. Completes
     * with the result of this publish ({@link PutResult#succeeded()} false when no node
     * stored it; a retry is then scheduled); later republishes happen on their own.
     *
     * @throws IllegalArgumentException when the topic is empty or longer than
     *         {@link PublicRecord#MAX_TOPIC_OCTETS} UTF-8 octets, or the payload longer than
     *         {@link PublicRecord#MAX_PAYLOAD_OCTETS}
     */
    public CompletableFuture<PutResult> publish(String topic, byte[] payload) {
        PublicRecord.topicOctets(topic);
        if (payload.length > PublicRecord.MAX_PAYLOAD_OCTETS) {
            throw new IllegalArgumentException("payload of " + payload.length + " octets exceeds "
                    + PublicRecord.MAX_PAYLOAD_OCTETS);
        }
        byte[] copy = payload.clone();
        CompletableFuture<PutResult> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("public records of " + node.id() + " are closed"));
            return f;
        }
        loop.execute(() -> {
            Topic t = topics.computeIfAbsent(topic, Topic::new);
            t.payload = copy;
            publishNow(t, f);
        });
        return f;
    }

    private void publishNow(Topic t, CompletableFuture<PutResult> f) {
        if (closed || node.isClosed()) {
            f.completeExceptionally(new IllegalStateException("public records of " + node.id() + " are closed"));
            return;
        }
        if (t.timer != null) {
            t.timer.cancel();
            t.timer = null;
        }
        long now = loop.currentTimeMillis();
        long seq = Math.max(now, t.lastSeq + 1);
        t.lastSeq = seq;
        SignedRecord record = SignedRecord.sign(new PublicRecord(owner.publicKey(), t.name, seq, now,
                now + LIFETIME_MILLIS, t.payload), owner);
        node.put(record).whenComplete((r, e) -> loop.execute(() -> {
            // A newer publish of the topic owns the timer now; this one only reports.
            if (!closed && t.lastSeq == seq && topics.get(t.name) == t) {
                if (e == null && r.succeeded()) {
                    t.retryMillis = FIRST_RETRY_MILLIS;
                    t.timer = loop.schedule(() -> republish(t), REPUBLISH_MILLIS);
                } else {
                    LOG.info("public record \"{}\" stored nowhere ({}); retrying in {} s", t.name,
                            e != null ? e.toString() : r, t.retryMillis / 1000);
                    t.timer = loop.schedule(() -> republish(t), t.retryMillis);
                    t.retryMillis = Math.min(MAX_RETRY_MILLIS, t.retryMillis * 2);
                }
            }
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(r);
            }
        }));
    }

    private void republish(Topic t) {
        if (topics.get(t.name) == t) {
            publishNow(t, new CompletableFuture<>());
        }
    }

    /** Stops republishing {@code topic}; the item last stored stays readable until it expires. */
    public void stop(String topic) {
        loop.execute(() -> {
            Topic t = topics.remove(topic);
            if (t != null && t.timer != null) {
                t.timer.cancel();
            }
        });
    }

    /** Seq of the item last published under {@code topic} (Unix milliseconds), or -1 before the first. */
    public long lastSeq(String topic) {
        Topic t = topics.get(topic);
        return t == null ? -1 : t.lastSeq;
    }

    /**
     * The newest verified item of {@code ownerIdentityKey} under {@code topic}, or empty when
     * no node holds one.
     *
     * @throws IllegalArgumentException when the key is not 32 octets or the topic is empty or too long
     */
    public CompletableFuture<Optional<PublicRecord>> read(byte[] ownerIdentityKey, String topic) {
        return lookup(ownerIdentityKey, topic).thenApply(PublicRecords::itemOf);
    }

    /**
     * Like {@link #read}, with what the lookup saw: hops, nodes queried, stale copies written
     * back, and how many nodes returned the winning item.
     */
    public CompletableFuture<GetResult> lookup(byte[] ownerIdentityKey, String topic) {
        if (ownerIdentityKey.length != DomainSignature.PUBLIC_KEY_OCTETS) {
            throw new IllegalArgumentException("an identity key has " + DomainSignature.PUBLIC_KEY_OCTETS
                    + " octets, not " + ownerIdentityKey.length);
        }
        return node.get(PublicRecord.keyFor(ownerIdentityKey, topic));
    }

    /** The item a lookup found; a record under an item's key is always an item (its key was checked). */
    public static Optional<PublicRecord> itemOf(GetResult r) {
        return r.record().map(SignedRecord::record).filter(PublicRecord.class::isInstance)
                .map(PublicRecord.class::cast);
    }

    @Override
    public void close() {
        closed = true;
        loop.execute(() -> {
            for (Topic t : topics.values()) {
                if (t.timer != null) {
                    t.timer.cancel();
                }
            }
            topics.clear();
        });
    }

    @Override
    public String toString() {
        return "PublicRecords[" + node.id() + " topics=" + Arrays.toString(topics.keySet().toArray()) + "]";
    }
}
