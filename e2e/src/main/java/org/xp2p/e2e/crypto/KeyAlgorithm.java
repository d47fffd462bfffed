package org.xp2p.e2e.crypto;

import java.security.SecureRandom;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * What one key type can do: generate key pairs, decode peers' published keys, and
 * restore a key pair from its private octets. Stateless and thread-safe; obtain one
 * with {@link KeyAlgorithms#of(KeyType)}.
 */
public interface KeyAlgorithm {

    KeyType type();

    LocalKey generate(SecureRandom random);

    /**
     * @throws IllegalArgumentException naming why {@code published} is not a usable key
     *                                  of this type (not on the curve, bad layout)
     */
    RemoteKey decode(PublishedKey published);

    /**
     * A key pair from its private octets: the big-endian scalar (NIST, Brainpool), the
     * RFC 7748 private key (x25519, x448), the RFC 8032 seed (ed25519, ed448), the
     * PKCS#8 DER encoding (rsa), or the ML-KEM seed d||z (64 octets) followed by the
     * ML-DSA seed (32 octets) for ml*.
     *
     * @throws IllegalArgumentException when the octets are not a private key of this type
     */
    LocalKey restore(byte[] privateOctets);

    /** Whether the symmetric key travels wrapped in {@code k} (rsa, ml*) instead of being agreed. */
    default boolean wrapsKey() {
        return type() == KeyType.RSA || type().postQuantum();
    }
}
