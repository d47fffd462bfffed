package org.xp2p.e2e.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMExtractor;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMGenerator;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPublicKeyParameters;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * ml128/ml192/ml256: an ML-KEM-512/768/1024 key that transports a fresh key per stanza
 * (k = the encapsulation, key = the 32-octet shared secret) paired with an
 * ML-DSA-44/65/87 key that signs with HashML-DSA (SHAKE-256 pre-hash). The published key
 * is the encapsulation key followed by the ML-DSA public key. Stateless.
 */
final class MlAlgorithm implements KeyAlgorithm {
    private static final int KEM_SEED_OCTETS = 64;
    private static final int DSA_SEED_OCTETS = 32;

    private final KeyType type;
    private final MLKEMParameters kem;
    private final MLDSAParameters dsa;
    private final int kemPublicOctets;

    MlAlgorithm(KeyType type) {
        this.type = type;
        switch (type) {
            case ML128 -> {
                kem = MLKEMParameters.ml_kem_512;
                dsa = MLDSAParameters.ml_dsa_44;
                kemPublicOctets = 800;
            }
            case ML192 -> {
                kem = MLKEMParameters.ml_kem_768;
                dsa = MLDSAParameters.ml_dsa_65;
                kemPublicOctets = 1184;
            }
            case ML256 -> {
                kem = MLKEMParameters.ml_kem_1024;
                dsa = MLDSAParameters.ml_dsa_87;
                kemPublicOctets = 1568;
            }
            default -> throw new IllegalArgumentException(type + " is not a post-quantum key type");
        }
    }

    @Override
    public KeyType type() {
        return type;
    }

    @Override
    public LocalKey generate(SecureRandom random) {
        byte[] seeds = new byte[KEM_SEED_OCTETS + DSA_SEED_OCTETS];
        random.nextBytes(seeds);
        return restore(seeds);
    }

    @Override
    public LocalKey restore(byte[] seeds) {
        if (seeds.length != KEM_SEED_OCTETS + DSA_SEED_OCTETS) {
            throw new IllegalArgumentException(type.elementName() + " private keys are a 64-octet ML-KEM seed and a 32-octet ML-DSA seed");
        }
        MLKEMPrivateKeyParameters kemKey = new MLKEMPrivateKeyParameters(kem, Arrays.copyOfRange(seeds, 0, KEM_SEED_OCTETS));
        MLDSAPrivateKeyParameters dsaKey = new MLDSAPrivateKeyParameters(dsa, Arrays.copyOfRange(seeds, KEM_SEED_OCTETS, seeds.length));
        return new Local(kemKey, dsaKey);
    }

    @Override
    public RemoteKey decode(PublishedKey published) {
        AbstractRemoteKey.requireType(type, published);
        byte[] pub = published.pub();
        MLKEMPublicKeyParameters kemKey;
        MLDSAPublicKeyParameters dsaKey;
        try {
            kemKey = new MLKEMPublicKeyParameters(kem, Arrays.copyOfRange(pub, 0, kemPublicOctets));
            dsaKey = new MLDSAPublicKeyParameters(dsa, Arrays.copyOfRange(pub, kemPublicOctets, pub.length));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(type.elementName() + " key is malformed: " + e.getMessage());
        }
        return new Remote(published, kemKey, dsaKey);
    }

    private final class Local extends AbstractLocalKey.Transporting {
        private final MLKEMPrivateKeyParameters kemKey;
        private final MLDSAPrivateKeyParameters dsaKey;

        Local(MLKEMPrivateKeyParameters kemKey, MLDSAPrivateKeyParameters dsaKey) {
            super(publicHalf(kemKey.getPublicKeyParameters(), dsaKey.getPublicKeyParameters()));
            this.kemKey = kemKey;
            this.dsaKey = dsaKey;
        }

        @Override
        public byte[] unwrap(byte[] wrapped) throws GeneralSecurityException {
            MLKEMExtractor extractor = new MLKEMExtractor(kemKey);
            if (wrapped.length != extractor.getEncapsulationLength()) {
                throw new GeneralSecurityException("k has " + wrapped.length + " octets; " + type.elementName()
                        + " encapsulations have " + extractor.getEncapsulationLength());
            }
            // ML-KEM never reports failure (implicit rejection): a forged k yields a
            // random key, which the tag or the signature then refuses.
            return extractor.extractSecret(wrapped);
        }

        @Override
        public byte[] sign(byte[] data, SecureRandom random) {
            return HashMlDsa.SHAKE256.sign(dsaKey, data, random);
        }
    }

    private Remote publicHalf(MLKEMPublicKeyParameters kemPub, MLDSAPublicKeyParameters dsaPub) {
        return new Remote(new PublishedKey(type, Octets.concat(kemPub.getEncoded(), dsaPub.getEncoded())), kemPub, dsaPub);
    }

    private final class Remote extends AbstractRemoteKey {
        private final MLKEMPublicKeyParameters kemKey;
        private final MLDSAPublicKeyParameters dsaKey;

        Remote(PublishedKey published, MLKEMPublicKeyParameters kemKey, MLDSAPublicKeyParameters dsaKey) {
            super(published);
            this.kemKey = kemKey;
            this.dsaKey = dsaKey;
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            return HashMlDsa.SHAKE256.verify(dsaKey, data, signature);
        }

        @Override
        public WrappedKey wrap(SecureRandom random) {
            SecretWithEncapsulation sealed = new MLKEMGenerator(random).generateEncapsulated(kemKey);
            return new WrappedKey(sealed.getSecret(), sealed.getEncapsulation());
        }
    }
}
