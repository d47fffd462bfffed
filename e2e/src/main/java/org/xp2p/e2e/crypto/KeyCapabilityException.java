package org.xp2p.e2e.crypto;

/**
 * A key was asked for something its type cannot do: an x25519 or x448 key to sign (those
 * types only agree keys; their stanzas rely on the {@code acp} tag), or a peer's key of a
 * key-agreement type (Weierstrass, Montgomery, Edwards curves) to wrap a symmetric key,
 * which only rsa and ml* keys transport in {@code k}.
 *
 * <p>Callers that ask {@link org.xp2p.schemas.KeyType#signs()} and
 * {@link KeyAlgorithm#wrapsKey()} first never see it, so it marks a programming error, not
 * a bad peer: input from the network that does not fit a key type is refused with a
 * {@link java.security.GeneralSecurityException} instead.
 */
public final class KeyCapabilityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyCapabilityException(String message) {
        super(message);
    }
}
