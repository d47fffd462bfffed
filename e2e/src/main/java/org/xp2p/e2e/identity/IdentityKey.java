package org.xp2p.e2e.identity;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A device's long-term Ed25519 identity key: unlike the E2E keys it survives rotation
 * and restarts (see {@link IdentityKeyFile}), and it signs what must be attributable to
 * the device over time: DHT records, contact offers, private-network membership.
 * Exposed as Bouncy Castle types because the DHT signs through them. Immutable and
 * thread-safe.
 */
public final class IdentityKey {
    public static final int SEED_OCTETS = Ed25519PrivateKeyParameters.KEY_SIZE;
    public static final int PUBLIC_OCTETS = Ed25519PublicKeyParameters.KEY_SIZE;

    private final Ed25519PrivateKeyParameters privateKey;
    private final Ed25519PublicKeyParameters publicKey;

    private IdentityKey(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey();
    }

    public static IdentityKey generate(SecureRandom random) {
        return new IdentityKey(new Ed25519PrivateKeyParameters(random));
    }

    /** The key of a 32-octet RFC 8032 seed. */
    public static IdentityKey fromSeed(byte[] seed) {
        if (seed.length != SEED_OCTETS) {
            throw new IllegalArgumentException("Ed25519 seeds have " + SEED_OCTETS + " octets, not " + seed.length);
        }
        return new IdentityKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /** The private key, for signers that take Bouncy Castle parameters (the DHT). */
    public Ed25519PrivateKeyParameters privateKey() {
        return privateKey;
    }

    public Ed25519PublicKeyParameters publicKeyParameters() {
        return publicKey;
    }

    /** The 32-octet RFC 8032 public key. */
    public byte[] publicKey() {
        return publicKey.getEncoded();
    }

    /** The seed; only {@link IdentityKeyFile} needs it, to encrypt it. */
    byte[] seed() {
        return privateKey.getEncoded();
    }

    /** A pure Ed25519 signature (RFC 8032) over {@code data}. */
    public byte[] sign(byte[] data) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(data, 0, data.length);
        return signer.generateSignature();
    }

    /** Whether {@code signature} is the Ed25519 signature of {@code publicKey} over {@code data}. */
    public static boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
        if (publicKey == null || publicKey.length != PUBLIC_OCTETS || signature == null) {
            return false;
        }
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            verifier.update(data, 0, data.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityKey k && Arrays.equals(k.publicKey(), publicKey());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey());
    }

    @Override
    public String toString() {
        return "IdentityKey(ed25519 " + org.bouncycastle.util.encoders.Hex.toHexString(publicKey(), 0, 8) + "…)";
    }
}
