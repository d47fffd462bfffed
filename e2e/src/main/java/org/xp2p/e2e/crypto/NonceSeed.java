package org.xp2p.e2e.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * H = SHA-256(UTF-8 of id + type + from + to): the per-stanza input of every nonce and IV,
 * with missing attributes as "". Immutable.
 */
public final class NonceSeed {
    private final byte[] h;

    private NonceSeed(byte[] h) {
        this.h = h;
    }

    public static NonceSeed of(String id, String type, String from, String to) {
        String concatenated = orEmpty(id) + orEmpty(type) + orEmpty(from) + orEmpty(to);
        return new NonceSeed(Sha256.of(concatenated.getBytes(StandardCharsets.UTF_8)));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** AES-CBC IV: H[0..12) || LE32(counter). */
    public byte[] aesIv(long counter) {
        byte[] iv = Arrays.copyOf(h, 16);
        Octets.putLittleEndian32(counter, iv, 12);
        return iv;
    }

    /** ChaCha20 nonce: H[0..8) || LE32(counter). */
    public byte[] chachaNonce(long counter) {
        byte[] nonce = Arrays.copyOf(h, 12);
        Octets.putLittleEndian32(counter, nonce, 8);
        return nonce;
    }
}
