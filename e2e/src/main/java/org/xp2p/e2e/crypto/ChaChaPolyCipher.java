package org.xp2p.e2e.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.xp2p.schemas.SymmetricCipher;

/** {@code acp}: AEAD ChaCha20-Poly1305 (RFC 8439), associated data = UTF-8 of the sender's full JID. */
final class ChaChaPolyCipher implements PayloadCipher {
    static final ChaChaPolyCipher INSTANCE = new ChaChaPolyCipher();
    private static final int TAG_BITS = 128;

    @Override
    public SymmetricCipher id() {
        return SymmetricCipher.ACP;
    }

    @Override
    public byte[] encrypt(byte[] key, NonceSeed seed, long counter, String from, byte[] plaintext, SecureRandom random) {
        try {
            return seal(true, key, seed.chachaNonce(counter), ad(from), plaintext);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 encryption cannot fail", e);
        }
    }

    @Override
    public byte[] decrypt(byte[] key, NonceSeed seed, long counter, String from, byte[] ciphertext) throws GeneralSecurityException {
        try {
            return seal(false, key, seed.chachaNonce(counter), ad(from), ciphertext);
        } catch (InvalidCipherTextException | RuntimeException e) {
            throw new GeneralSecurityException("acp tag does not match: wrong key, or the stanza was altered");
        }
    }

    private static byte[] ad(String from) {
        return (from == null ? "" : from).getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 8439 section 2.8 AEAD: ciphertext || 16-octet tag. */
    static byte[] seal(boolean encrypt, byte[] key, byte[] nonce, byte[] ad, byte[] input) throws InvalidCipherTextException {
        ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, ad));
        byte[] out = new byte[aead.getOutputSize(input.length)];
        int n = aead.processBytes(input, 0, input.length, out, 0);
        n += aead.doFinal(out, n);
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }
}
