package org.xp2p.e2e.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;

/** SHA-256, the one hash every shared key and nonce of the wire format goes through. Stateless. */
public final class Sha256 {
    private Sha256() {
    }

    public static byte[] of(byte[]... parts) {
        SHA256Digest digest = new SHA256Digest();
        for (byte[] p : parts) {
            digest.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }
}
