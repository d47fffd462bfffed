package org.xp2p.discovery.dht.record;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xp2p.discovery.dht.NodeId;
import org.xp2p.schemas.smack.E2eElement;

/**
 * The presence data one device mirrors into the DHT, before signing: who it is (identity
 * key, JIDs), where it can be reached, which E2E keys it currently uses, and the version
 * and validity window of this statement. The storage key is self-certifying:
 * SHA-256("presence" || identity key || salt), so only the key's owner can write it.
 * Immutable; {@link SignedRecord} is the signed, encoded form that travels.
 *
 * @param e2e the {@code <e2e/>} data: cipher flags and the keys small enough to inline
 * @param keyDigests keys too large to inline, named by digest
 */
public record PresenceRecord(byte[] identityKey, byte[] salt, long seq, long issuedAtMillis, long expiresAtMillis,
                             List<String> jids, List<InetSocketAddress> localEndpoints,
                             Optional<InetSocketAddress> externalEndpoint, E2eElement e2e,
                             List<KeyDigest> keyDigests) implements DhtRecord {

    public static final int MAX_SALT_OCTETS = 32;
    public static final int MAX_JIDS = 4;
    public static final int MAX_ENDPOINTS = 8;
    private static final byte[] KEY_PREFIX = "presence".getBytes(StandardCharsets.US_ASCII);

    public PresenceRecord {
        if (identityKey.length != 32) {
            throw new IllegalArgumentException("identity key has " + identityKey.length + " octets, expected 32");
        }
        if (salt.length > MAX_SALT_OCTETS) {
            throw new IllegalArgumentException("salt of " + salt.length + " octets exceeds " + MAX_SALT_OCTETS);
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative: " + seq);
        }
        if (expiresAtMillis <= issuedAtMillis) {
            throw new IllegalArgumentException("record expires (" + expiresAtMillis + ") before it is issued ("
                    + issuedAtMillis + ")");
        }
        jids = List.copyOf(jids);
        if (jids.isEmpty() || jids.size() > MAX_JIDS) {
            throw new IllegalArgumentException("a record names 1 to " + MAX_JIDS + " JIDs, not " + jids.size());
        }
        localEndpoints = List.copyOf(localEndpoints);
        if (localEndpoints.size() > MAX_ENDPOINTS) {
            throw new IllegalArgumentException(localEndpoints.size() + " local endpoints exceed " + MAX_ENDPOINTS);
        }
        Objects.requireNonNull(externalEndpoint, "externalEndpoint");
        Objects.requireNonNull(e2e, "e2e");
        keyDigests = List.copyOf(keyDigests);
        identityKey = identityKey.clone();
        salt = salt.clone();
    }

    /** The storage key of a device's presence record. */
    public static NodeId keyFor(byte[] identityKey, byte[] salt) {
        byte[] all = new byte[KEY_PREFIX.length + identityKey.length + salt.length];
        System.arraycopy(KEY_PREFIX, 0, all, 0, KEY_PREFIX.length);
        System.arraycopy(identityKey, 0, all, KEY_PREFIX.length, identityKey.length);
        System.arraycopy(salt, 0, all, KEY_PREFIX.length + identityKey.length, salt.length);
        return NodeId.ofPublicKey(all);
    }

    @Override
    public NodeId key() {
        return keyFor(identityKey, salt);
    }

    @Override
    public byte[] identityKey() {
        return identityKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** Same statement with a new version and validity window, as the owner republishes it. */
    public PresenceRecord reissued(long newSeq, long issuedAt, long expiresAt) {
        return new PresenceRecord(identityKey, salt, newSeq, issuedAt, expiresAt, jids, localEndpoints,
                externalEndpoint, e2e, keyDigests);
    }

    /** Whether two records say the same thing about the device, ignoring version and validity. */
    public boolean sameContent(PresenceRecord o) {
        return Arrays.equals(identityKey, o.identityKey) && Arrays.equals(salt, o.salt) && jids.equals(o.jids)
                && localEndpoints.equals(o.localEndpoints) && externalEndpoint.equals(o.externalEndpoint)
                && e2e.equals(o.e2e) && keyDigests.equals(o.keyDigests);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PresenceRecord r && seq == r.seq && issuedAtMillis == r.issuedAtMillis
                && expiresAtMillis == r.expiresAtMillis && sameContent(r);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(identityKey) * 31 + Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "PresenceRecord[" + jids + " seq=" + seq + " local=" + localEndpoints + " ext="
                + externalEndpoint.orElse(null) + " keys=" + e2e.keys() + "]";
    }
}
