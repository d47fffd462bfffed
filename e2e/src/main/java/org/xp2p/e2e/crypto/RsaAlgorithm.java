package org.xp2p.e2e.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.encodings.OAEPEncoding;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * rsa: RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-octet salt) signatures and RSA-OAEP
 * (SHA-256, MGF1-SHA-256, empty label) transport of a fresh 32-octet key per stanza.
 * Public keys are LE16(modulus bits) || modulus || exponent, both big-endian. Stateless.
 */
final class RsaAlgorithm implements KeyAlgorithm {
    static final BigInteger PUBLIC_EXPONENT = BigInteger.valueOf(65537);
    private static final int SALT_OCTETS = 32;
    private static final int KEY_OCTETS = 32;

    private final int modulusBits;

    /** @param modulusBits the size of generated keys (2048, 3072, 7680, 15360); decoding accepts any valid size */
    RsaAlgorithm(int modulusBits) {
        if (modulusBits % 8 != 0 || modulusBits < KeyType.RSA_MIN_MODULUS_BITS || modulusBits > KeyType.RSA_MAX_MODULUS_BITS) {
            throw new IllegalArgumentException("RSA modulus size " + modulusBits + " is not a multiple of 8 between "
                    + KeyType.RSA_MIN_MODULUS_BITS + " and " + KeyType.RSA_MAX_MODULUS_BITS);
        }
        this.modulusBits = modulusBits;
    }

    /** The modulus size NIST SP 800-57 rates at {@code securityBits}. */
    static int modulusBitsFor(int securityBits) {
        if (securityBits <= 112) return 2048;
        if (securityBits <= 128) return 3072;
        if (securityBits <= 192) return 7680;
        return 15360;
    }

    @Override
    public KeyType type() {
        return KeyType.RSA;
    }

    @Override
    public LocalKey generate(SecureRandom random) {
        RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
        generator.init(new RSAKeyGenerationParameters(PUBLIC_EXPONENT, random, modulusBits, 100));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        return new Local((RSAPrivateCrtKeyParameters) pair.getPrivate());
    }

    @Override
    public LocalKey restore(byte[] pkcs8) {
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(pkcs8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a PKCS#8 RSA private key: " + e.getMessage());
        }
        if (!(key instanceof RSAPrivateCrtKeyParameters crt)) {
            throw new IllegalArgumentException("not a PKCS#8 RSA private key with CRT parameters");
        }
        if (crt.getModulus().bitLength() % 8 != 0) {
            throw new IllegalArgumentException("RSA modulus of " + crt.getModulus().bitLength()
                    + " bits cannot be published: the wire format needs a whole number of octets");
        }
        return new Local(crt);
    }

    @Override
    public RemoteKey decode(PublishedKey published) {
        AbstractRemoteKey.requireType(KeyType.RSA, published);
        // PublishedKey has checked the layout: size, whole modulus, exponent length.
        byte[] pub = published.pub();
        int bits = (pub[0] & 0xff) | (pub[1] & 0xff) << 8;
        int modulusOctets = bits / 8;
        BigInteger modulus = new BigInteger(1, java.util.Arrays.copyOfRange(pub, 2, 2 + modulusOctets));
        BigInteger exponent = new BigInteger(1, java.util.Arrays.copyOfRange(pub, 2 + modulusOctets, pub.length));
        if (!exponent.testBit(0) || exponent.compareTo(BigInteger.valueOf(3)) < 0 || !modulus.testBit(0)) {
            throw new IllegalArgumentException("rsa key has an even modulus or an unusable exponent");
        }
        return new Remote(published, new RSAKeyParameters(false, modulus, exponent));
    }

    static PublishedKey encode(BigInteger modulus, BigInteger exponent) {
        int bits = modulus.bitLength();
        byte[] n = Octets.bigEndian(modulus, bits / 8);
        byte[] e = Octets.bigEndian(exponent, (exponent.bitLength() + 7) / 8);
        byte[] size = {(byte) bits, (byte) (bits >>> 8)};
        return new PublishedKey(KeyType.RSA, Octets.concat(size, n, e));
    }

    private static final class Local extends AbstractLocalKey.Transporting {
        private final RSAPrivateCrtKeyParameters priv;

        Local(RSAPrivateCrtKeyParameters priv) {
            super(new Remote(encode(priv.getModulus(), priv.getPublicExponent()),
                    new RSAKeyParameters(false, priv.getModulus(), priv.getPublicExponent())));
            this.priv = priv;
        }

        @Override
        public byte[] unwrap(byte[] wrapped) throws GeneralSecurityException {
            OAEPEncoding oaep = new OAEPEncoding(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), null);
            oaep.init(false, priv);
            byte[] key;
            try {
                key = oaep.processBlock(wrapped, 0, wrapped.length);
            } catch (InvalidCipherTextException | RuntimeException e) {
                throw new GeneralSecurityException("k is not an RSA-OAEP ciphertext for this key");
            }
            if (key.length != KEY_OCTETS) {
                throw new GeneralSecurityException("k unwraps to " + key.length + " octets, not " + KEY_OCTETS);
            }
            return key;
        }

        @Override
        public byte[] sign(byte[] data, SecureRandom random) {
            PSSSigner signer = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), SALT_OCTETS);
            signer.init(true, new ParametersWithRandom(priv, random));
            signer.update(data, 0, data.length);
            try {
                return signer.generateSignature();
            } catch (CryptoException e) {
                throw new IllegalStateException("RSA-PSS signing failed", e);
            }
        }
    }

    private static final class Remote extends AbstractRemoteKey {
        private final RSAKeyParameters params;

        Remote(PublishedKey published, RSAKeyParameters params) {
            super(published);
            this.params = params;
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            if (signature == null) {
                return false;
            }
            PSSSigner verifier = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), SALT_OCTETS);
            verifier.init(false, params);
            verifier.update(data, 0, data.length);
            try {
                return verifier.verifySignature(signature);
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public WrappedKey wrap(SecureRandom random) {
            byte[] key = new byte[KEY_OCTETS];
            random.nextBytes(key);
            OAEPEncoding oaep = new OAEPEncoding(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), null);
            oaep.init(true, new ParametersWithRandom(params, random));
            try {
                return new WrappedKey(key, oaep.processBlock(key, 0, key.length));
            } catch (InvalidCipherTextException e) {
                throw new IllegalStateException("RSA-OAEP wrapping failed", e);
            }
        }
    }
}
