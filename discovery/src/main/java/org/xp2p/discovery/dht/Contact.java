package org.xp2p.discovery.dht;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * A DHT node as others advertise it: ID, identity key, puzzle nonce and UDP address.
 * Knowing a contact proves nothing; a contact enters a routing table only after answering
 * a signed challenge from that address. Immutable.
 */
public record Contact(NodeId id, byte[] publicKey, long puzzleNonce, InetSocketAddress address) {

    public Contact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        if (publicKey.length != DomainSignature.PUBLIC_KEY_OCTETS) {
            throw new IllegalArgumentException("identity key has " + publicKey.length + " octets, expected 32");
        }
        publicKey = publicKey.clone();
    }

    /** A contact for a key, its ID derived from it. */
    public static Contact of(byte[] publicKey, long puzzleNonce, InetSocketAddress address) {
        return new Contact(NodeId.ofPublicKey(publicKey), publicKey, puzzleNonce, address);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Contact c && id.equals(c.id) && Arrays.equals(publicKey, c.publicKey)
                && puzzleNonce == c.puzzleNonce && address.equals(c.address);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + address.hashCode();
    }

    @Override
    public String toString() {
        return id + "@" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
