package org.xp2p.e2e;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * A reproducible "random" source for tests only: the SHAKE-256 output stream of a label.
 * Makes key generation, signatures, wrapped keys and aes fill repeatable, so that golden
 * stanzas can be committed.
 */
public final class DeterministicRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    public DeterministicRandom(String label) {
        super(new ShakeSpi(label), null);
    }

    private static final class ShakeSpi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final transient SHAKEDigest shake = new SHAKEDigest(256);

        ShakeSpi(String label) {
            byte[] seed = label.getBytes(StandardCharsets.UTF_8);
            shake.update(seed, 0, seed.length);
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            // Ignored: reproducibility is the point.
        }

        @Override
        protected synchronized void engineNextBytes(byte[] bytes) {
            shake.doOutput(bytes, 0, bytes.length);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] out = new byte[numBytes];
            engineNextBytes(out);
            return out;
        }
    }
}
