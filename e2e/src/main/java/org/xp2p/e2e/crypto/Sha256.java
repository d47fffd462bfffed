package org.xp2p.e2e.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256, the one hash every shared key and nonce of the wire format goes through.
 * The platform's implementation: it uses the processor's SHA instructions where there are
 * some, which makes the per-stanza nonce hash several times cheaper than a Java one.
 *
 * <p>Thread-safe: each thread keeps one digest, because looking the algorithm up in the
 * provider list costs more than hashing a stanza's id, type, from and to. {@code digest()}
 * leaves the digest reset, and a failed update resets it, so no hash sees another's input.
 */
public final class Sha256 {
    private static final ThreadLocal<MessageDigest> PER_THREAD = ThreadLocal.withInitial(Sha256::newDigest);

    private Sha256() {
    }

    public static byte[] of(byte[]... parts) {
        MessageDigest digest = PER_THREAD.get();
        try {
            for (byte[] p : parts) {
                digest.update(p);
            }
        } catch (RuntimeException e) {
            digest.reset(); // a null part must not leave half an input for the next hash
            throw e;
        }
        return digest.digest();
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
