package org.xp2p.e2e;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.xp2p.e2e.crypto.KeyAlgorithms;
import org.xp2p.e2e.crypto.NonceSeed;
import org.xp2p.e2e.crypto.PayloadCipher;
import org.xp2p.e2e.crypto.RemoteKey;
import org.xp2p.e2e.crypto.WrappedKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.smack.EncryptedElement;

/**
 * Turns plaintext octets into an {@link EncryptedElement} and back: the symmetric key
 * (agreed and cached, or fresh and wrapped in {@code k}), the cipher, and the signature
 * over the plaintext. Knows nothing of XML or policy. Stateless and thread-safe.
 */
public final class PayloadSealer {
    private PayloadSealer() {
    }

    /**
     * @param sender    our key of the type the stanza goes under
     * @param recipient the peer's key of the same type
     * @param counter   the {@code c} of this stanza
     * @param seed      H of this stanza's id, type, from and to
     * @param from      our full JID (associated data of {@code acp})
     */
    public static EncryptedElement seal(SymmetricCipher cipher, OwnKey sender, RemoteKey recipient, long counter,
                                        NonceSeed seed, String from, byte[] plaintext, SecureRandom random)
            throws GeneralSecurityException {
        KeyType type = sender.key().type();
        if (recipient.type() != type) {
            throw new IllegalArgumentException("sender key is " + type.elementName() + ", recipient key is "
                    + recipient.type().elementName());
        }
        byte[] key;
        byte[] wrapped = null;
        if (KeyAlgorithms.of(type).wrapsKey()) {
            WrappedKey w = recipient.wrap(random);
            key = w.key();
            wrapped = w.wrapped();
        } else {
            key = sender.agreedKey(recipient);
        }
        byte[] ciphertext = PayloadCipher.of(cipher).encrypt(key, seed, counter, from, plaintext, random);
        byte[] signature = type.signs() ? sender.key().sign(plaintext, random) : null;
        return new EncryptedElement(cipher, type, counter, wrapped, signature, ciphertext);
    }

    /**
     * The plaintext of {@code payload}, decrypted with {@code recipient} (one of our keys)
     * and verified against {@code sender} (one of the peer's keys).
     *
     * @throws GeneralSecurityException when the key, the tag or the signature does not fit
     */
    public static byte[] open(EncryptedElement payload, OwnKey recipient, RemoteKey sender, NonceSeed seed, String from)
            throws GeneralSecurityException {
        byte[] plaintext = decrypt(payload, recipient, sender, seed, from);
        requireSignature(payload, sender, plaintext);
        return plaintext;
    }

    /**
     * The plaintext of {@code payload}, decrypted but with its signature (if its key type
     * signs) not yet checked: the caller must {@link #requireSignature} before trusting it,
     * or check it with others (see {@link E2eEndpoint#decryptDeferringSignature}).
     *
     * @throws GeneralSecurityException when the key or the tag does not fit
     */
    static byte[] decrypt(EncryptedElement payload, OwnKey recipient, RemoteKey sender, NonceSeed seed, String from)
            throws GeneralSecurityException {
        KeyType type = payload.keyType();
        byte[] key;
        if (KeyAlgorithms.of(type).wrapsKey()) {
            byte[] wrapped = payload.wrappedKey();
            if (wrapped == null) {
                throw new GeneralSecurityException(type.elementName() + " stanza has no k");
            }
            key = recipient.key().unwrap(wrapped);
        } else {
            if (payload.wrappedKey() != null) {
                throw new GeneralSecurityException(type.elementName() + " stanza must not carry k");
            }
            key = recipient.agreedKey(sender);
        }
        byte[] signature = payload.signature();
        if (type.signs() && signature == null) {
            throw new GeneralSecurityException(type.elementName() + " stanza is not signed");
        }
        if (!type.signs() && signature != null) {
            throw new GeneralSecurityException(type.elementName() + " cannot sign; s must be absent");
        }
        return PayloadCipher.of(payload.cipher()).decrypt(key, seed, payload.counter(), from, payload.ciphertext());
    }

    /** @throws GeneralSecurityException when the key type signs and the signature is not {@code sender}'s over the plaintext */
    static void requireSignature(EncryptedElement payload, RemoteKey sender, byte[] plaintext)
            throws GeneralSecurityException {
        if (payload.keyType().signs() && !sender.verify(plaintext, payload.signature())) {
            throw new GeneralSecurityException("signature does not verify");
        }
    }
}
