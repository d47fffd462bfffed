package org.xp2p.e2e.crypto;

import java.security.SecureRandom;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * A peer's public key, decoded and validated (on the curve, well-formed modulus). Immutable
 * and thread-safe.
 */
public interface RemoteKey {

    KeyType type();

    PublishedKey published();

    /** Whether {@code signature} is this key's signature over {@code data}; never throws for bad input. */
    boolean verify(byte[] data, byte[] signature);

    /**
     * This key decoded for {@link Ed25519BatchVerifier}, when it is an Ed25519 key; null
     * otherwise. Its signatures can then be checked many at once.
     */
    default Ed25519BatchVerifier.PublicPoint ed25519Point() {
        return null;
    }

    /** A fresh 32-octet symmetric key and its wrapping for this key's owner (rsa, ml* only). */
    WrappedKey wrap(SecureRandom random);
}
