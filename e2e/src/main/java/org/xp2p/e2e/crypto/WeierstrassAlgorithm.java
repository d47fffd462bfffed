package org.xp2p.e2e.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * The NIST (p192..p521) and Brainpool (bp160..bp512) curves: ECDH with SHA-256 of the
 * big-endian x coordinate, ECDSA with the per-curve hash and r||s little-endian, public
 * keys as X||Y little-endian. Stateless.
 */
final class WeierstrassAlgorithm implements KeyAlgorithm {
    private final KeyType type;
    private final ECDomainParameters domain;
    private final Supplier<Digest> signatureHash;
    private final int orderOctets;

    WeierstrassAlgorithm(KeyType type, String curveName, Supplier<Digest> signatureHash) {
        // Bouncy Castle's custom implementations of the NIST curves are many times faster
        // than the generic field arithmetic; Brainpool curves have only the generic one.
        X9ECParameters x9 = CustomNamedCurves.getByName(curveName);
        if (x9 == null) {
            x9 = ECNamedCurveTable.getByName(curveName);
        }
        if (x9 == null) {
            throw new IllegalStateException("Bouncy Castle does not know curve " + curveName);
        }
        this.type = type;
        this.domain = new ECDomainParameters(x9);
        this.signatureHash = signatureHash;
        this.orderOctets = (domain.getN().bitLength() + 7) / 8;
    }

    static WeierstrassAlgorithm of(KeyType type) {
        return switch (type) {
            case P192 -> new WeierstrassAlgorithm(type, "P-192", SHA256Digest::new);
            case P224 -> new WeierstrassAlgorithm(type, "P-224", SHA256Digest::new);
            case P256 -> new WeierstrassAlgorithm(type, "P-256", SHA256Digest::new);
            case P384 -> new WeierstrassAlgorithm(type, "P-384", SHA512Digest::new);
            case P521 -> new WeierstrassAlgorithm(type, "P-521", SHA512Digest::new);
            case BP160 -> new WeierstrassAlgorithm(type, "brainpoolP160r1", SHA256Digest::new);
            case BP192 -> new WeierstrassAlgorithm(type, "brainpoolP192r1", SHA256Digest::new);
            case BP224 -> new WeierstrassAlgorithm(type, "brainpoolP224r1", SHA256Digest::new);
            case BP256 -> new WeierstrassAlgorithm(type, "brainpoolP256r1", SHA256Digest::new);
            case BP320 -> new WeierstrassAlgorithm(type, "brainpoolP320r1", SHA384Digest::new);
            case BP384 -> new WeierstrassAlgorithm(type, "brainpoolP384r1", SHA384Digest::new);
            case BP512 -> new WeierstrassAlgorithm(type, "brainpoolP512r1", SHA512Digest::new);
            default -> throw new IllegalArgumentException(type + " is not a Weierstrass curve");
        };
    }

    @Override
    public KeyType type() {
        return type;
    }

    @Override
    public LocalKey generate(SecureRandom random) {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        return new Local((ECPrivateKeyParameters) pair.getPrivate(), (ECPublicKeyParameters) pair.getPublic());
    }

    @Override
    public LocalKey restore(byte[] privateOctets) {
        BigInteger d = new BigInteger(1, privateOctets);
        if (d.signum() == 0 || d.compareTo(domain.getN()) >= 0) {
            throw new IllegalArgumentException(type.elementName() + " private scalar is outside 1..n-1");
        }
        ECPrivateKeyParameters priv = new ECPrivateKeyParameters(d, domain);
        ECPoint q = domain.getG().multiply(d).normalize();
        return new Local(priv, new ECPublicKeyParameters(q, domain));
    }

    @Override
    public RemoteKey decode(PublishedKey published) {
        AbstractRemoteKey.requireType(type, published);
        byte[] pub = published.pub();
        BigInteger x = Octets.fromLittleEndian(pub, 0, orderOctets);
        BigInteger y = Octets.fromLittleEndian(pub, orderOctets, orderOctets);
        ECPoint point;
        try {
            // validatePoint rejects coordinates outside the field and points off the curve;
            // all these curves have cofactor 1, so on the curve means in the group.
            point = domain.getCurve().validatePoint(x, y);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(type.elementName() + " key is not a point on the curve");
        }
        if (point.isInfinity()) {
            throw new IllegalArgumentException(type.elementName() + " key is the point at infinity");
        }
        return new Remote(published, new ECPublicKeyParameters(point, domain));
    }

    private PublishedKey encode(ECPoint q) {
        ECPoint n = q.normalize();
        return new PublishedKey(type, Octets.concat(
                Octets.littleEndian(n.getAffineXCoord().toBigInteger(), orderOctets),
                Octets.littleEndian(n.getAffineYCoord().toBigInteger(), orderOctets)));
    }

    private byte[] hash(byte[] data) {
        Digest digest = signatureHash.get();
        digest.update(data, 0, data.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    private final class Local extends AbstractLocalKey.Agreeing {
        private final ECPrivateKeyParameters priv;

        Local(ECPrivateKeyParameters priv, ECPublicKeyParameters pub) {
            super(new Remote(encode(pub.getQ()), pub));
            this.priv = priv;
        }

        @Override
        public byte[] agree(RemoteKey peer) throws GeneralSecurityException {
            if (!(peer instanceof Remote r) || r.type() != WeierstrassAlgorithm.this.type) {
                throw cannotAgreeWith(peer);
            }
            ECDHBasicAgreement agreement = new ECDHBasicAgreement();
            agreement.init(priv);
            BigInteger x;
            try {
                x = agreement.calculateAgreement(r.params);
            } catch (IllegalStateException e) {
                throw new GeneralSecurityException("ECDH gave no shared point: " + e.getMessage());
            }
            return Sha256.of(Octets.bigEndian(x, orderOctets));
        }

        @Override
        public byte[] sign(byte[] data, SecureRandom random) {
            ECDSASigner signer = new ECDSASigner();
            signer.init(true, new ParametersWithRandom(priv, random));
            BigInteger[] rs = signer.generateSignature(hash(data));
            return Octets.concat(Octets.littleEndian(rs[0], orderOctets), Octets.littleEndian(rs[1], orderOctets));
        }
    }

    private final class Remote extends AbstractRemoteKey.Agreeing {
        private final ECPublicKeyParameters params;

        Remote(PublishedKey published, ECPublicKeyParameters params) {
            super(published);
            this.params = params;
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            if (signature == null || signature.length != 2 * orderOctets) {
                return false;
            }
            BigInteger r = Octets.fromLittleEndian(signature, 0, orderOctets);
            BigInteger s = Octets.fromLittleEndian(signature, orderOctets, orderOctets);
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, params);
            return verifier.verifySignature(hash(data), r, s);
        }
    }
}
