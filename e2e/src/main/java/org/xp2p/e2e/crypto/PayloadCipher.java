package org.xp2p.e2e.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.xp2p.schemas.SymmetricCipher;

/**
 * One of the three symmetric ciphers of the wire format, applied to a stanza's plaintext.
 * Implementations are stateless and thread-safe.
 */
public interface PayloadCipher {

    SymmetricCipher id();

    /**
     * @param key     32-octet symmetric key
     * @param seed    the stanza's nonce seed
     * @param counter the stanza's {@code c}
     * @param from    the sender's full JID (associated data for {@code acp})
     * @param random  fill octets for {@code aes}
     */
    byte[] encrypt(byte[] key, NonceSeed seed, long counter, String from, byte[] plaintext, SecureRandom random);

    /** @throws GeneralSecurityException when the ciphertext is malformed or its tag is wrong */
    byte[] decrypt(byte[] key, NonceSeed seed, long counter, String from, byte[] ciphertext) throws GeneralSecurityException;

    /** Whether the cipher detects tampering by itself (only {@code acp} does). */
    default boolean authenticates() {
        return id() == SymmetricCipher.ACP;
    }

    static PayloadCipher of(SymmetricCipher cipher) {
        return switch (cipher) {
            case AES -> AesCbcCipher.INSTANCE;
            case CHA -> ChaChaCipher.INSTANCE;
            case ACP -> ChaChaPolyCipher.INSTANCE;
        };
    }
}
