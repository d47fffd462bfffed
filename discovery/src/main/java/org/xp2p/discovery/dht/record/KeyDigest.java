package org.xp2p.discovery.dht.record;

import java.util.Arrays;
import java.util.Objects;
import org.xp2p.schemas.KeyType;

/**
 * A public key too large to inline in a 1000-byte record (RSA, ML-KEM/ML-DSA), named by its
 * SHA-256 digest instead. Whoever fetches the key another way (synchE2e, broker presence)
 * checks it against this digest, so the record still pins it. Immutable.
 */
public record KeyDigest(KeyType type, byte[] sha256) {

    public KeyDigest {
        Objects.requireNonNull(type, "type");
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 octets, not " + sha256.length);
        }
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyDigest d && d.type == type && Arrays.equals(d.sha256, sha256);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(sha256);
    }
}
