package org.xp2p.e2e.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.SymmetricCipher;

/**
 * The three ciphers against the JDK's own AES-CBC, ChaCha20 and ChaCha20-Poly1305, with
 * the nonce and IV built by hand from the spec: H = SHA-256(id+type+from+to), IV =
 * H[0..12) || LE32(c), nonce = H[0..8) || LE32(c). Proves the layouts, the block counter 1
 * of cha, the associated data of acp, and the varint framing of aes.
 */
class CipherLayoutTest {
    private static final String ID = "m-1";
    private static final String FROM = "alice@example.org/laptop";
    private static final String TO = "bob@example.org/phone";
    private static final long COUNTER = 0x0102_0304L;

    private final SecureRandom random = new SecureRandom();
    private final byte[] key = new byte[32];
    private final byte[] h = Sha256.of((ID + "" + FROM + TO).getBytes(StandardCharsets.UTF_8));
    private final NonceSeed seed = NonceSeed.of(ID, null, FROM, TO);

    CipherLayoutTest() {
        random.nextBytes(key);
    }

    private byte[] nonce(int prefix, int length) {
        byte[] n = Arrays.copyOf(h, length);
        n[prefix] = 0x04;
        n[prefix + 1] = 0x03;
        n[prefix + 2] = 0x02;
        n[prefix + 3] = 0x01;
        return n;
    }

    @Test
    void aesIsCbcOverVarintLengthDataAndFillWithTheSpecifiedIv() throws Exception {
        for (int length : new int[] {0, 1, 15, 126, 127, 128, 300, 16383, 16384}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            byte[] ct = PayloadCipher.of(SymmetricCipher.AES).encrypt(key, seed, COUNTER, FROM, data, random);
            assertEquals(0, ct.length % 16);
            Cipher jdk = Cipher.getInstance("AES/CBC/NoPadding");
            jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(nonce(12, 16)));
            byte[] framed = jdk.doFinal(ct);
            int prefix = length < 128 ? 1 : length < 16384 ? 2 : 3;
            assertEquals(length & 0x7f, framed[0] & 0x7f, "least significant group first");
            assertEquals(length >= 128, (framed[0] & 0x80) != 0, "continuation bit");
            assertArrayEquals(data, Arrays.copyOfRange(framed, prefix, prefix + length));
            assertEquals(((prefix + length + 15) / 16) * 16, ct.length, "fill only up to the next block");
            assertArrayEquals(data, PayloadCipher.of(SymmetricCipher.AES).decrypt(key, seed, COUNTER, FROM, ct));
        }
    }

    @Test
    void aesRefusesALengthPrefixLongerThanTheData() throws Exception {
        Cipher jdk = Cipher.getInstance("AES/CBC/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(nonce(12, 16)));
        byte[] framed = new byte[16];
        framed[0] = 20; // says 20 octets, 15 follow
        byte[] ct = jdk.doFinal(framed);
        assertThrows(GeneralSecurityException.class, () -> PayloadCipher.of(SymmetricCipher.AES).decrypt(key, seed, COUNTER, FROM, ct));
    }

    @Test
    void chaIsChaCha20FromBlockCounterOneWithTheSpecifiedNonce() throws Exception {
        byte[] data = "<message><body>stream</body></message>".repeat(5).getBytes(StandardCharsets.UTF_8);
        byte[] ct = PayloadCipher.of(SymmetricCipher.CHA).encrypt(key, seed, COUNTER, FROM, data, random);
        Cipher jdk = Cipher.getInstance("ChaCha20");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce(8, 12), 1));
        assertArrayEquals(data, jdk.doFinal(ct));
        assertEquals(data.length, ct.length, "no length prefix, no tag");
    }

    @Test
    void acpIsChaCha20Poly1305WithTheSenderJidAsAssociatedData() throws Exception {
        byte[] data = "<message><body>sealed</body></message>".getBytes(StandardCharsets.UTF_8);
        byte[] ct = PayloadCipher.of(SymmetricCipher.ACP).encrypt(key, seed, COUNTER, FROM, data, random);
        Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce(8, 12)));
        jdk.updateAAD(FROM.getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(data, jdk.doFinal(ct));
        assertThrows(GeneralSecurityException.class,
                () -> PayloadCipher.of(SymmetricCipher.ACP).decrypt(key, seed, COUNTER, "mallory@example.org/x", ct));
    }
}
