package org.xp2p.e2e.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.Ed448Signer;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * ed25519 and ed448: RFC 8032 signatures (pure, empty context) by Bouncy Castle, ed25519
 * signing by libsodium where the system has it ({@link LibsodiumEd25519}: same octets, faster), and
 * Diffie-Hellman on the Edwards curve itself — the clamped private scalar times the
 * peer's point, key = SHA-256 of the big-endian affine x coordinate — with
 * the constant-time {@link EdwardsLadder}. Stateless.
 */
final class EdwardsAlgorithm implements KeyAlgorithm {
    private static final byte[] EMPTY_CONTEXT = new byte[0];

    private final KeyType type;
    private final EdwardsCurve curve;
    private final boolean libsodiumSigning;

    EdwardsAlgorithm(KeyType type) {
        this(type, LibsodiumEd25519.isAvailable());
    }

    /** {@code libsodiumSigning}: sign ed25519 with libsodium (which must be available) rather than Bouncy Castle. */
    EdwardsAlgorithm(KeyType type, boolean libsodiumSigning) {
        if (libsodiumSigning && !LibsodiumEd25519.isAvailable()) {
            throw new IllegalStateException("ed25519 signing by " + LibsodiumEd25519.implementation());
        }
        this.libsodiumSigning = libsodiumSigning && type == KeyType.ED25519;
        this.type = type;
        this.curve = switch (type) {
            case ED25519 -> EdwardsCurve.ED25519;
            case ED448 -> EdwardsCurve.ED448;
            default -> throw new IllegalArgumentException(type + " is not an Edwards curve");
        };
    }

    @Override
    public KeyType type() {
        return type;
    }

    private int seedOctets() {
        return type == KeyType.ED25519 ? Ed25519PrivateKeyParameters.KEY_SIZE : Ed448PrivateKeyParameters.KEY_SIZE;
    }

    @Override
    public LocalKey generate(SecureRandom random) {
        byte[] seed = new byte[seedOctets()];
        random.nextBytes(seed);
        return restore(seed);
    }

    @Override
    public LocalKey restore(byte[] seed) {
        if (seed.length != seedOctets()) {
            throw new IllegalArgumentException(type.elementName() + " seeds have " + seedOctets() + " octets");
        }
        return new Local(seed.clone());
    }

    @Override
    public RemoteKey decode(PublishedKey published) {
        AbstractRemoteKey.requireType(type, published);
        EdwardsCurve.Point point;
        try {
            point = curve.decode(published.pub());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(type.elementName() + " key: " + e.getMessage());
        }
        return new Remote(published, point);
    }

    /** The RFC 8032 secret scalar of a seed: the clamped first half of its hash. */
    static BigInteger clampedScalar(KeyType type, byte[] seed) {
        byte[] s = clampedScalarOctets(type, seed);
        return Octets.fromLittleEndian(s, 0, s.length);
    }

    /** The clamped scalar, little-endian, as the constant-time ladder consumes it. */
    static byte[] clampedScalarOctets(KeyType type, byte[] seed) {
        if (type == KeyType.ED25519) {
            SHA512Digest sha = new SHA512Digest();
            sha.update(seed, 0, seed.length);
            byte[] h = new byte[64];
            sha.doFinal(h, 0);
            h[0] &= (byte) 248;
            h[31] &= 127;
            h[31] |= 64;
            return java.util.Arrays.copyOf(h, 32);
        }
        SHAKEDigest shake = new SHAKEDigest(256);
        shake.update(seed, 0, seed.length);
        byte[] h = new byte[114];
        shake.doFinal(h, 0, h.length);
        h[0] &= (byte) 252;
        h[56] = 0;
        h[55] |= (byte) 128;
        return java.util.Arrays.copyOf(h, 57);
    }

    /** The RFC 8032 key pair of a seed, and what it publishes. */
    private record KeyPair(Ed25519PrivateKeyParameters ed25519, Ed448PrivateKeyParameters ed448, PublishedKey published) {
        static KeyPair of(KeyType type, byte[] seed) {
            // Kept, not rebuilt per signature: Bouncy Castle caches the public key inside them,
            // which it would otherwise recompute (a base-point multiplication) for every signature.
            if (type == KeyType.ED25519) {
                Ed25519PrivateKeyParameters p = new Ed25519PrivateKeyParameters(seed, 0);
                return new KeyPair(p, null, new PublishedKey(type, p.generatePublicKey().getEncoded()));
            }
            Ed448PrivateKeyParameters p = new Ed448PrivateKeyParameters(seed, 0);
            return new KeyPair(null, p, new PublishedKey(type, p.generatePublicKey().getEncoded()));
        }
    }

    private final class Local extends AbstractLocalKey.Agreeing {
        private final byte[] scalar;
        private final Ed25519PrivateKeyParameters ed25519;
        private final Ed448PrivateKeyParameters ed448;
        private final LibsodiumEd25519.SigningKey libsodium;

        Local(byte[] seed) {
            this(seed, KeyPair.of(type, seed));
        }

        private Local(byte[] seed, KeyPair pair) {
            super(decode(pair.published()));
            this.scalar = clampedScalarOctets(type, seed);
            this.ed25519 = pair.ed25519();
            this.ed448 = pair.ed448();
            this.libsodium = libsodiumSigning ? new LibsodiumEd25519.SigningKey(seed, pair.published().pub()) : null;
        }

        @Override
        public byte[] agree(RemoteKey peer) throws GeneralSecurityException {
            if (!(peer instanceof Remote r) || peer.type() != type) {
                throw cannotAgreeWith(peer);
            }
            EdwardsLadder ladder = type == KeyType.ED25519 ? EdwardsLadder.ED25519 : EdwardsLadder.ED448;
            byte[] x = ladder.multiplyX(scalar, r.xOctets, r.yOctets);
            if (Octets.isAllZero(x)) {
                // x = 0: the identity (or the point of order 2, which the clamped scalar also
                // sends to the identity): a low-order peer key gives no secret.
                throw new GeneralSecurityException(type.elementName() + " peer key has low order (shared point has x = 0)");
            }
            return Sha256.of(Octets.reversed(x));
        }

        @Override
        public byte[] sign(byte[] data, SecureRandom random) {
            if (libsodium != null) {
                return libsodium.sign(data);
            }
            if (type == KeyType.ED25519) {
                Ed25519Signer signer = new Ed25519Signer();
                signer.init(true, ed25519);
                signer.update(data, 0, data.length);
                return signer.generateSignature();
            }
            Ed448Signer signer = new Ed448Signer(EMPTY_CONTEXT);
            signer.init(true, ed448);
            signer.update(data, 0, data.length);
            return signer.generateSignature();
        }
    }

    private final class Remote extends AbstractRemoteKey.Agreeing {
        // Decoded once: Bouncy Castle keeps the decompressed point inside them.
        private final Ed25519PublicKeyParameters ed25519;
        private final Ed448PublicKeyParameters ed448;
        private final Ed25519BatchVerifier.PublicPoint batchPoint;
        private final byte[] xOctets;
        private final byte[] yOctets;

        Remote(PublishedKey published, EdwardsCurve.Point point) {
            super(published);
            this.xOctets = Octets.littleEndian(curve.affineX(point), curve.fieldOctets());
            this.yOctets = Octets.littleEndian(curve.affineY(point), curve.fieldOctets());
            byte[] pub = published.pub();
            this.ed25519 = type == KeyType.ED25519 ? new Ed25519PublicKeyParameters(pub, 0) : null;
            this.ed448 = type == KeyType.ED448 ? new Ed448PublicKeyParameters(pub, 0) : null;
            this.batchPoint = type == KeyType.ED25519 ? Ed25519BatchVerifier.decode(pub) : null;
        }

        @Override
        public Ed25519BatchVerifier.PublicPoint ed25519Point() {
            return batchPoint;
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            if (signature == null) {
                return false;
            }
            try {
                if (type == KeyType.ED25519) {
                    Ed25519Signer verifier = new Ed25519Signer();
                    verifier.init(false, ed25519);
                    verifier.update(data, 0, data.length);
                    return verifier.verifySignature(signature);
                }
                Ed448Signer verifier = new Ed448Signer(EMPTY_CONTEXT);
                verifier.init(false, ed448);
                verifier.update(data, 0, data.length);
                return verifier.verifySignature(signature);
            } catch (RuntimeException e) {
                return false;
            }
        }
    }
}
