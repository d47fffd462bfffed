package org.xp2p.discovery.dht.record;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.xp2p.discovery.dht.NodeId;

/**
 * A small piece of application data that anyone can read and only its owner can write
 * (BEP-44's "mutable item"): the owner's identity key, a topic naming the item (such as
 * "traffic"), an opaque payload, and the version and validity window. Stored under
 * SHA-256("data" || identity key || topic as UTF-8), so one owner has one item per topic.
 * Immutable; {@link SignedRecord} is the signed, encoded form that travels.
 *
 * @param identityKey the owner's Ed25519 identity key (32 octets)
 * @param topic 1 to {@link #MAX_TOPIC_OCTETS} octets of UTF-8
 * @param payload at most {@link #MAX_PAYLOAD_OCTETS} octets, opaque to the DHT
 */
public record PublicRecord(byte[] identityKey, String topic, long seq, long issuedAtMillis, long expiresAtMillis,
                           byte[] payload) implements DhtRecord {

    public static final int MAX_TOPIC_OCTETS = 32;
    /**
     * The largest payload that keeps the signed record within {@link SignedRecord#MAX_OCTETS}
     * even with the longest topic: 1000 minus format(1), topic(1+32), key(32), seq, issued-at
     * and expires-at(3x8), payload length(2) and signature(64).
     */
    public static final int MAX_PAYLOAD_OCTETS = SignedRecord.MAX_OCTETS - (1 + 1 + MAX_TOPIC_OCTETS + 32 + 3 * 8
            + 2 + 64);
    private static final byte[] KEY_PREFIX = "data".getBytes(StandardCharsets.US_ASCII);

    public PublicRecord {
        if (identityKey.length != 32) {
            throw new IllegalArgumentException("identity key has " + identityKey.length + " octets, expected 32");
        }
        topicOctets(topic);
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative: " + seq);
        }
        if (expiresAtMillis <= issuedAtMillis) {
            throw new IllegalArgumentException("record expires (" + expiresAtMillis + ") before it is issued ("
                    + issuedAtMillis + ")");
        }
        if (payload.length > MAX_PAYLOAD_OCTETS) {
            throw new IllegalArgumentException("payload of " + payload.length + " octets exceeds "
                    + MAX_PAYLOAD_OCTETS);
        }
        identityKey = identityKey.clone();
        payload = payload.clone();
    }

    /**
     * The topic as it is encoded and hashed.
     *
     * @throws IllegalArgumentException when empty or longer than {@link #MAX_TOPIC_OCTETS} octets
     */
    public static byte[] topicOctets(String topic) {
        Objects.requireNonNull(topic, "topic");
        byte[] utf8 = topic.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == 0 || utf8.length > MAX_TOPIC_OCTETS) {
            throw new IllegalArgumentException("topic \"" + topic + "\" has " + utf8.length
                    + " UTF-8 octets; a topic has 1 to " + MAX_TOPIC_OCTETS);
        }
        return utf8;
    }

    /** The storage key of an owner's item under {@code topic}. */
    public static NodeId keyFor(byte[] identityKey, String topic) {
        byte[] t = topicOctets(topic);
        byte[] all = new byte[KEY_PREFIX.length + identityKey.length + t.length];
        System.arraycopy(KEY_PREFIX, 0, all, 0, KEY_PREFIX.length);
        System.arraycopy(identityKey, 0, all, KEY_PREFIX.length, identityKey.length);
        System.arraycopy(t, 0, all, KEY_PREFIX.length + identityKey.length, t.length);
        return NodeId.ofPublicKey(all);
    }

    @Override
    public NodeId key() {
        return keyFor(identityKey, topic);
    }

    @Override
    public byte[] identityKey() {
        return identityKey.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public Instant issuedAt() {
        return Instant.ofEpochMilli(issuedAtMillis);
    }

    public Instant expiresAt() {
        return Instant.ofEpochMilli(expiresAtMillis);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicRecord r && seq == r.seq && issuedAtMillis == r.issuedAtMillis
                && expiresAtMillis == r.expiresAtMillis && topic.equals(r.topic)
                && Arrays.equals(identityKey, r.identityKey) && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(identityKey) * 31 + topic.hashCode()) * 31 + Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "PublicRecord[owner=" + HexFormat.of().formatHex(identityKey, 0, 4) + ".. topic=" + topic + " seq="
                + seq + " payload=" + payload.length + " octets]";
    }
}
