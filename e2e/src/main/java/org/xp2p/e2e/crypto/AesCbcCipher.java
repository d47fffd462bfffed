package org.xp2p.e2e.crypto;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.DefaultBufferedBlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.xp2p.schemas.SymmetricCipher;

/**
 * {@code aes}: AES-256-CBC over varint(length) || data || random fill to a multiple of 16,
 * without PKCS#7 padding (the XSD's mention of it is wrong; deployed devices do this).
 * No integrity of its own.
 */
final class AesCbcCipher implements PayloadCipher {
    static final AesCbcCipher INSTANCE = new AesCbcCipher();
    private static final int BLOCK_OCTETS = 16;

    @Override
    public SymmetricCipher id() {
        return SymmetricCipher.AES;
    }

    @Override
    public byte[] encrypt(byte[] key, NonceSeed seed, long counter, String from, byte[] plaintext, SecureRandom random) {
        ByteArrayOutputStream framed = new ByteArrayOutputStream(plaintext.length + 5 + BLOCK_OCTETS);
        Varint.write(plaintext.length, framed);
        framed.writeBytes(plaintext);
        int fill = (BLOCK_OCTETS - framed.size() % BLOCK_OCTETS) % BLOCK_OCTETS;
        byte[] random16 = new byte[fill];
        random.nextBytes(random16);
        framed.writeBytes(random16);
        return run(true, key, seed.aesIv(counter), framed.toByteArray());
    }

    @Override
    public byte[] decrypt(byte[] key, NonceSeed seed, long counter, String from, byte[] ciphertext) throws GeneralSecurityException {
        if (ciphertext.length == 0 || ciphertext.length % BLOCK_OCTETS != 0) {
            throw new GeneralSecurityException("aes ciphertext of " + ciphertext.length + " octets is not a whole number of blocks");
        }
        byte[] framed = run(false, key, seed.aesIv(counter), ciphertext);
        return Varint.readFramed(framed);
    }

    private static byte[] run(boolean encrypt, byte[] key, byte[] iv, byte[] input) {
        BufferedBlockCipher cipher = new DefaultBufferedBlockCipher(CBCBlockCipher.newInstance(AESEngine.newInstance()));
        cipher.init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] out = new byte[input.length];
        int n = cipher.processBytes(input, 0, input.length, out, 0);
        try {
            cipher.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("CBC without padding cannot fail on whole blocks", e);
        }
        return out;
    }
}
