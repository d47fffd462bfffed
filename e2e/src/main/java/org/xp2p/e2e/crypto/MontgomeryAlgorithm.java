package org.xp2p.e2e.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.RawAgreement;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.agreement.X448Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.params.X448PrivateKeyParameters;
import org.bouncycastle.crypto.params.X448PublicKeyParameters;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * x25519 and x448 (RFC 7748): key agreement only, key = SHA-256 of the byte-reversed
 * function output. They cannot sign: stanzas under these types rely on the {@code acp}
 * tag for integrity. Stateless.
 */
final class MontgomeryAlgorithm implements KeyAlgorithm {
    private final KeyType type;

    MontgomeryAlgorithm(KeyType type) {
        if (type != KeyType.X25519 && type != KeyType.X448) {
            throw new IllegalArgumentException(type + " is not a Montgomery curve");
        }
        this.type = type;
    }

    @Override
    public KeyType type() {
        return type;
    }

    @Override
    public LocalKey generate(SecureRandom random) {
        byte[] priv = new byte[privateOctets()];
        random.nextBytes(priv);
        return restore(priv);
    }

    @Override
    public LocalKey restore(byte[] privateOctets) {
        if (privateOctets.length != privateOctets()) {
            throw new IllegalArgumentException(type.elementName() + " private keys have " + privateOctets() + " octets");
        }
        return new Local(privateOctets.clone());
    }

    @Override
    public RemoteKey decode(PublishedKey published) {
        AbstractRemoteKey.requireType(type, published);
        // Every u-coordinate is accepted by RFC 7748; a low-order point shows up as an
        // all-zero agreement output, which agree() refuses.
        return new Remote(published);
    }

    private int privateOctets() {
        return type == KeyType.X25519 ? X25519PrivateKeyParameters.KEY_SIZE : X448PrivateKeyParameters.KEY_SIZE;
    }

    private byte[] publicOf(byte[] priv) {
        return type == KeyType.X25519
                ? new X25519PrivateKeyParameters(priv).generatePublicKey().getEncoded()
                : new X448PrivateKeyParameters(priv).generatePublicKey().getEncoded();
    }

    private final class Local extends AbstractLocalKey.Agreeing {
        private final byte[] priv;

        Local(byte[] priv) {
            super(new Remote(new PublishedKey(type, publicOf(priv))));
            this.priv = priv;
        }

        @Override
        public byte[] agree(RemoteKey peer) throws GeneralSecurityException {
            if (peer.type() != type) {
                throw cannotAgreeWith(peer);
            }
            byte[] raw = rawAgreement(peer.published().pub());
            if (Octets.isAllZero(raw)) {
                throw new GeneralSecurityException(type.elementName() + " peer key has low order (all-zero secret)");
            }
            return Sha256.of(Octets.reversed(raw));
        }

        /** The RFC 7748 function output, as the RFC's test vectors print it. */
        byte[] rawAgreement(byte[] peerPub) {
            RawAgreement agreement = type == KeyType.X25519 ? new X25519Agreement() : new X448Agreement();
            agreement.init(type == KeyType.X25519 ? new X25519PrivateKeyParameters(priv) : new X448PrivateKeyParameters(priv));
            byte[] out = new byte[agreement.getAgreementSize()];
            try {
                agreement.calculateAgreement(type == KeyType.X25519
                        ? new X25519PublicKeyParameters(peerPub) : new X448PublicKeyParameters(peerPub), out, 0);
            } catch (IllegalStateException e) {
                return new byte[out.length]; // BC refuses the all-zero output itself
            }
            return out;
        }

        /** @throws KeyCapabilityException always: x25519 and x448 keys only agree keys */
        @Override
        public byte[] sign(byte[] data, SecureRandom random) {
            throw new KeyCapabilityException(type.elementName() + " keys cannot sign; use acp for integrity");
        }
    }

    private final class Remote extends AbstractRemoteKey.Agreeing {
        Remote(PublishedKey published) {
            super(published);
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            return false; // nothing signed under this type can be verified
        }
    }
}
