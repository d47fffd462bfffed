package org.xp2p.discovery.dht;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * A 256-bit position in the DHT's key space: a node's ID (SHA-256 of its Ed25519 identity
 * key, never chosen freely) or a record key. Distance is XOR, as in Kademlia. Immutable.
 */
public final class NodeId implements Comparable<NodeId> {

    public static final int OCTETS = 32;
    public static final int BITS = 256;

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static NodeId of(byte[] octets) {
        if (octets.length != OCTETS) {
            throw new IllegalArgumentException("a node ID has " + OCTETS + " octets, not " + octets.length);
        }
        return new NodeId(octets.clone());
    }

    /** The ID of the node whose Ed25519 identity public key this is. */
    public static NodeId ofPublicKey(byte[] ed25519PublicKey) {
        return new NodeId(sha256(ed25519PublicKey));
    }

    public static NodeId random(Random random) {
        byte[] b = new byte[OCTETS];
        random.nextBytes(b);
        return new NodeId(b);
    }

    static byte[] sha256(byte[]... parts) {
        SHA256Digest d = new SHA256Digest();
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[OCTETS];
        d.doFinal(out, 0);
        return out;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Index of the first bit where this and {@code other} differ (0 = most significant),
     * or {@link #BITS} when equal: the k-bucket an ID falls into, seen from this one.
     */
    public int commonPrefixLength(NodeId other) {
        for (int i = 0; i < OCTETS; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Negative, zero or positive as {@code a} is closer to this ID than {@code b}, equally close, or farther. */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < OCTETS; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /** A random ID sharing exactly {@code prefixBits} leading bits with this one: a target inside one bucket. */
    public NodeId randomWithPrefix(int prefixBits, Random random) {
        if (prefixBits < 0 || prefixBits >= BITS) {
            throw new IllegalArgumentException("prefix of " + prefixBits + " bits is outside 0.." + (BITS - 1));
        }
        byte[] b = new byte[OCTETS];
        random.nextBytes(b);
        for (int bit = 0; bit <= prefixBits; bit++) {
            int mask = 0x80 >>> (bit % 8);
            boolean mine = (bytes[bit / 8] & mask) != 0;
            boolean set = bit < prefixBits ? mine : !mine;
            b[bit / 8] = (byte) (set ? b[bit / 8] | mask : b[bit / 8] & ~mask);
        }
        return new NodeId(b);
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        // SHA-256 output: any four octets are as good a hash as all 32.
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return hex().substring(0, 12);
    }
}
