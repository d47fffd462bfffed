package org.xp2p.e2e.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * One of our own E2E key pairs: what it publishes and what only its private half can do.
 * Implementations are immutable and thread-safe; each call that needs randomness takes it
 * as an argument, so tests can make the output reproducible.
 */
public interface LocalKey {

    KeyType type();

    /** The public half as published in {@code <e2e/>}. */
    PublishedKey published();

    /** Our own public half, seen as a peer would see it. */
    RemoteKey asRemote();

    /**
     * The 32-octet symmetric key shared with {@code peer} (key-agreement types only:
     * Weierstrass, Montgomery and Edwards curves). Deterministic, so callers cache it.
     *
     * @throws GeneralSecurityException when the peer's point gives no usable secret
     *                                  (identity, low order)
     */
    byte[] agree(RemoteKey peer) throws GeneralSecurityException;

    /**
     * The 32-octet symmetric key a peer wrapped for us in {@code k} (rsa, ml*).
     *
     * @throws GeneralSecurityException when {@code wrapped} cannot be unwrapped with this key
     */
    byte[] unwrap(byte[] wrapped) throws GeneralSecurityException;

    /** The signature over {@code data} in the wire format of this type (signing types only). */
    byte[] sign(byte[] data, SecureRandom random);
}
