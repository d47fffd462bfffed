package org.xp2p.e2e.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.xp2p.schemas.SymmetricCipher;

/** {@code cha}: ChaCha20 (RFC 8439) starting at block counter 1; no length prefix, no integrity. */
final class ChaChaCipher implements PayloadCipher {
    static final ChaChaCipher INSTANCE = new ChaChaCipher();
    private static final int BLOCK_OCTETS = 64;

    @Override
    public SymmetricCipher id() {
        return SymmetricCipher.CHA;
    }

    @Override
    public byte[] encrypt(byte[] key, NonceSeed seed, long counter, String from, byte[] plaintext, SecureRandom random) {
        return stream(key, seed.chachaNonce(counter), plaintext);
    }

    @Override
    public byte[] decrypt(byte[] key, NonceSeed seed, long counter, String from, byte[] ciphertext) throws GeneralSecurityException {
        return stream(key, seed.chachaNonce(counter), ciphertext);
    }

    /** ChaCha20 with a 96-bit nonce and initial block counter 1, as RFC 8439 section 2.4 uses it. */
    static byte[] stream(byte[] key, byte[] nonce, byte[] input) {
        ChaCha7539Engine engine = new ChaCha7539Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        engine.skip(BLOCK_OCTETS); // block 0 is not used: the stream starts at block counter 1
        byte[] out = new byte[input.length];
        engine.processBytes(input, 0, input.length, out, 0);
        return out;
    }
}
