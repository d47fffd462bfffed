package org.xp2p.e2e.crypto;

/**
 * A symmetric key and its wrapped form for the recipient (the {@code k} attribute).
 *
 * @param key     the 32-octet symmetric key
 * @param wrapped RSA-OAEP ciphertext or ML-KEM encapsulation
 */
public record WrappedKey(byte[] key, byte[] wrapped) {
    public WrappedKey {
        key = key.clone();
        wrapped = wrapped.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] wrapped() {
        return wrapped.clone();
    }
}
