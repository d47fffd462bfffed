package org.xp2p.discovery.dht;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.net.EventLoop;
import org.xp2p.discovery.dht.record.PresenceRecord;
import org.xp2p.discovery.dht.record.RecordStore;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.schemas.smack.E2eElement;

/**
 * Mirrors one device's presence into the DHT and finds other devices' presence there.
 * The device calls {@link #publish} at start and on every change of its addresses or
 * keys; the mirror signs a record with a new seq (Unix milliseconds, always rising),
 * stores it at the k closest nodes, republishes it well before it expires, and retries a
 * publish no node accepted. {@link #lookup} turns a peer's record into a
 * {@link PeerInfo} with source DHT.
 *
 * <p>Threads: none of its own; its timers run on the node's loop, and {@link #close()}
 * cancels them. Methods may be called from any thread.
 */
public final class PresenceMirror implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PresenceMirror.class);

    public static final long LIFETIME_MILLIS = RecordStore.MAX_LIFETIME_MILLIS;
    public static final long REPUBLISH_MILLIS = 45 * 60 * 1000L;

    /** Attribute of a record's {@link PeerInfo}: its seq (the owner's signing time, Unix ms). */
    public static final String SEQ = "dht.seq";
    /** Attribute of a record's {@link PeerInfo}: when it expires (ISO-8601 instant). */
    public static final String EXPIRES_AT = "dht.expiresAt";
    /** Attribute prefix of a record's names after the first, numbered from 1. */
    public static final String MORE_JIDS = "dht.jid.";
    /** Attribute prefix of the SHA-256 (hex) of a key too large to carry inline, by key element name. */
    public static final String KEY_DIGEST = "dht.keyDigest.";
    private static final long FIRST_RETRY_MILLIS = 30_000;
    private static final long MAX_RETRY_MILLIS = 5 * 60 * 1000L;

    /** What a device says about itself: the content of its record. */
    public record Presence(List<String> jids, List<InetSocketAddress> localEndpoints,
                           Optional<InetSocketAddress> externalEndpoint, E2eElement e2eKeys) {
        public Presence {
            jids = List.copyOf(jids);
            localEndpoints = List.copyOf(localEndpoints);
            Objects.requireNonNull(externalEndpoint, "externalEndpoint");
            Objects.requireNonNull(e2eKeys, "e2eKeys");
        }
    }

    private final DhtNode node;
    private final NodeIdentity owner;
    private final byte[] salt;
    private final EventLoop loop;
    private Presence current;
    private long lastSeq = -1;
    private EventLoop.Timer timer;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private volatile boolean closed;

    /** A mirror publishing under SHA-256("presence" || identity key), no salt. */
    public PresenceMirror(DhtNode node) {
        this(node, new byte[0]);
    }

    public PresenceMirror(DhtNode node, byte[] salt) {
        this.node = node;
        this.owner = node.identity();
        this.salt = salt.clone();
        this.loop = node.loop();
    }

    /** {@code period} if it can pace lookups of contacts' records again: positive. */
    public static Duration requireRefreshPeriod(Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("the DHT refresh period must be positive, not " + period);
        }
        return period;
    }

    /** The storage key of a device's presence record (no salt). */
    public static NodeId keyOf(byte[] identityKey) {
        return PresenceRecord.keyFor(identityKey, new byte[0]);
    }

    /**
     * Publishes {@code presence} now under a new seq and keeps it published. Completes with
     * the result of this publish; later republishes happen on their own.
     */
    public CompletableFuture<PutResult> publish(Presence presence) {
        Objects.requireNonNull(presence, "presence");
        CompletableFuture<PutResult> f = new CompletableFuture<>();
        loop.execute(() -> {
            current = presence;
            publishNow(f);
        });
        return f;
    }

    private void publishNow(CompletableFuture<PutResult> f) {
        if (closed || node.isClosed()) {
            f.completeExceptionally(new IllegalStateException("presence mirror is closed"));
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        long now = loop.currentTimeMillis();
        long seq = Math.max(now, lastSeq + 1);
        lastSeq = seq;
        Presence p = current;
        SignedRecord record = SignedRecord.sign(SignedRecord.presence(owner.publicKey(), salt, seq, now,
                now + LIFETIME_MILLIS, p.jids(), p.localEndpoints(), p.externalEndpoint(), p.e2eKeys()), owner);
        node.put(record).whenComplete((r, e) -> loop.execute(() -> {
            if (closed) {
                return;
            }
            if (e == null && r.succeeded()) {
                retryMillis = FIRST_RETRY_MILLIS;
                timer = loop.schedule(this::republish, REPUBLISH_MILLIS);
            } else {
                LOG.info("presence publish stored nowhere ({}); retrying in {} s",
                        e != null ? e.toString() : r, retryMillis / 1000);
                timer = loop.schedule(this::republish, retryMillis);
                retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
            }
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(r);
            }
        }));
    }

    private void republish() {
        if (current != null) {
            publishNow(new CompletableFuture<>());
        }
    }

    /** Seq of the record last published (Unix milliseconds), or -1 before the first. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Looks a peer up by its identity key: its newest verified presence record, as a PeerInfo. */
    public CompletableFuture<Optional<PeerInfo>> lookup(byte[] identityKey) {
        NodeId key = PresenceRecord.keyFor(identityKey, salt);
        // A record under a presence key is a presence record (the key derivation was checked); the filter only says so.
        return node.get(key).thenApply(r -> r.record().filter(rec -> rec.record() instanceof PresenceRecord)
                .map(rec -> toPeerInfo(rec, Instant.ofEpochMilli(loop.currentTimeMillis()))));
    }

    /**
     * A verified presence record as the snapshot the peer directory merges.
     *
     * @throws IllegalArgumentException when {@code signed} is a record of another kind
     */
    public static PeerInfo toPeerInfo(SignedRecord signed, Instant learnedAt) {
        if (!(signed.record() instanceof PresenceRecord r)) {
            throw new IllegalArgumentException("not a presence record: " + signed);
        }
        PeerInfo.Builder b = PeerInfo.builder(r.jids().get(0), PeerInfo.Source.DHT, learnedAt)
                .identityKey(r.identityKey())
                .localEndpoints(r.localEndpoints())
                .e2eKeys(r.e2e())
                .attribute(SEQ, Long.toString(r.seq()))
                .attribute(EXPIRES_AT, Instant.ofEpochMilli(r.expiresAtMillis()).toString());
        r.externalEndpoint().ifPresent(b::externalEndpoint);
        for (int i = 1; i < r.jids().size(); i++) {
            b.attribute(MORE_JIDS + i, r.jids().get(i));
        }
        for (int i = 0; i < r.keyDigests().size(); i++) {
            b.attribute(KEY_DIGEST + r.keyDigests().get(i).type().elementName(),
                    java.util.HexFormat.of().formatHex(r.keyDigests().get(i).sha256()));
        }
        return b.build();
    }

    /** A record's seq, from its {@link PeerInfo}; -1 for a snapshot that came from elsewhere. */
    public static long seq(PeerInfo info) {
        return Long.parseLong(info.attributes().getOrDefault(SEQ, "-1"));
    }

    /** Whether a record's {@link PeerInfo} is past its expiry; never for a snapshot that came from elsewhere. */
    public static boolean expired(PeerInfo info, Instant now) {
        String expires = info.attributes().get(EXPIRES_AT);
        return expires != null && Instant.parse(expires).isBefore(now);
    }

    /** Every name a record lists, from its {@link PeerInfo}: the first (its JID), then the others. */
    public static List<String> jids(PeerInfo info) {
        List<String> all = new java.util.ArrayList<>();
        all.add(info.jid());
        info.attributes().forEach((k, v) -> {
            if (k.startsWith(MORE_JIDS)) {
                all.add(v);
            }
        });
        return all;
    }

    @Override
    public void close() {
        closed = true;
        loop.execute(() -> {
            if (timer != null) {
                timer.cancel();
            }
        });
    }
}
