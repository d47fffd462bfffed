package org.xp2p.discovery.dht;

import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The S/Kademlia-style static crypto puzzle that makes every node identity cost work:
 * a node must present a nonce such that SHA-256(domain || identity key || nonce) starts
 * with {@code difficulty} zero bits. The ID itself stays SHA-256(identity key), so an
 * identity key chosen elsewhere (the e2e module's) still works: the nonce is found for it.
 * At 16 bits a solution takes about 65k hashes (tens of milliseconds) and checking takes one.
 * Stateless; safe from any thread.
 */
public final class IdPuzzle {

    public static final int DEFAULT_DIFFICULTY_BITS = 16;
    private static final byte[] DOMAIN = "xp2p-dht-id-puzzle-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private IdPuzzle() {
    }

    /** The smallest nonce solving the puzzle for this key. */
    public static long solve(byte[] publicKey, int difficultyBits) {
        check(difficultyBits);
        for (long nonce = 0; ; nonce++) {
            if (holds(publicKey, nonce, difficultyBits)) {
                return nonce;
            }
        }
    }

    public static boolean holds(byte[] publicKey, long nonce, int difficultyBits) {
        if (difficultyBits == 0) {
            return true;
        }
        SHA256Digest d = new SHA256Digest();
        d.update(DOMAIN, 0, DOMAIN.length);
        d.update(publicKey, 0, publicKey.length);
        for (int i = 7; i >= 0; i--) {
            d.update((byte) (nonce >>> (8 * i)));
        }
        byte[] h = new byte[32];
        d.doFinal(h, 0);
        int bits = difficultyBits;
        for (int i = 0; bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((h[i] & mask) != 0) {
                return false;
            }
        }
        return true;
    }

    private static void check(int difficultyBits) {
        if (difficultyBits < 0 || difficultyBits > 32) {
            throw new IllegalArgumentException("puzzle difficulty " + difficultyBits + " bits is outside 0..32");
        }
    }
}
