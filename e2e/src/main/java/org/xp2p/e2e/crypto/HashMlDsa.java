package org.xp2p.e2e.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Xof;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSASigner;

/**
 * HashML-DSA (FIPS 204, algorithm 4/5) with an empty context, computed through Bouncy
 * Castle's external-mu path because its own pre-hash signer offers SHA-512 only:
 * mu = SHAKE256(tr || 0x01 || 0x00 || OID(PH) || PH(M), 64), then ML-DSA over mu.
 * The wire format uses PH = SHAKE-256 with 64 octets of output; SHA-512 exists here so a
 * test can check this construction against Bouncy Castle's own HashMLDSASigner.
 * Immutable and thread-safe.
 */
public final class HashMlDsa {
    /** DER of OID 2.16.840.1.101.3.4.2.12 (id-shake256). */
    private static final byte[] SHAKE256_OID = {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x0C};
    /** DER of OID 2.16.840.1.101.3.4.2.3 (id-sha512). */
    private static final byte[] SHA512_OID = {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03};
    private static final int MU_OCTETS = 64;

    /** The variant of the wire format. */
    public static final HashMlDsa SHAKE256 = new HashMlDsa(true);
    /** The variant Bouncy Castle's {@code HashMLDSASigner} implements, for cross-checks. */
    public static final HashMlDsa SHA512 = new HashMlDsa(false);

    private final boolean shake;

    private HashMlDsa(boolean shake) {
        this.shake = shake;
    }

    public byte[] sign(MLDSAPrivateKeyParameters key, byte[] message, SecureRandom random) {
        MLDSASigner signer = new MLDSASigner();
        signer.init(true, new ParametersWithRandom(key, random));
        try {
            return signer.generateMuSignature(mu(key.getTr(), message));
        } catch (CryptoException e) {
            throw new IllegalStateException("ML-DSA signing failed", e);
        }
    }

    public boolean verify(MLDSAPublicKeyParameters key, byte[] message, byte[] signature) {
        if (signature == null) {
            return false;
        }
        MLDSASigner verifier = new MLDSASigner();
        verifier.init(false, key);
        try {
            return verifier.verifyMuSignature(mu(tr(key.getEncoded()), message), signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** tr = SHAKE256(public key, 64), as FIPS 204 defines it. */
    static byte[] tr(byte[] publicKey) {
        SHAKEDigest shake = new SHAKEDigest(256);
        shake.update(publicKey, 0, publicKey.length);
        byte[] tr = new byte[64];
        shake.doFinal(tr, 0, tr.length);
        return tr;
    }

    private byte[] mu(byte[] tr, byte[] message) {
        byte[] preHash;
        byte[] oid;
        if (shake) {
            Xof h = new SHAKEDigest(256);
            h.update(message, 0, message.length);
            preHash = new byte[64];
            h.doFinal(preHash, 0, preHash.length);
            oid = SHAKE256_OID;
        } else {
            Digest h = new SHA512Digest();
            h.update(message, 0, message.length);
            preHash = new byte[64];
            h.doFinal(preHash, 0);
            oid = SHA512_OID;
        }
        SHAKEDigest muHash = new SHAKEDigest(256);
        muHash.update(tr, 0, tr.length);
        muHash.update((byte) 0x01); // pre-hash domain
        muHash.update((byte) 0x00); // context length: empty context
        muHash.update(oid, 0, oid.length);
        muHash.update(preHash, 0, preHash.length);
        byte[] mu = new byte[MU_OCTETS];
        muHash.doFinal(mu, 0, mu.length);
        return mu;
    }
}
