package org.xp2p.e2e.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256, the one hash every shared key and nonce of the wire format goes through.
 * The platform's implementation: it uses the processor's SHA instructions where there are
 * some, which makes the per-stanza nonce hash several times cheaper than a Java one.
 * Stateless.
 */
public final class Sha256 {
    private Sha256() {
    }

    public static byte[] of(byte[]... parts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
        for (byte[] p : parts) {
            digest.update(p);
        }
        return digest.digest();
    }
}
