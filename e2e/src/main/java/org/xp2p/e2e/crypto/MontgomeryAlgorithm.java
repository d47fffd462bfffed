package org.xp2p.e2e.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
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
        byte[] priv = new byte[type == KeyType.X25519 ? X25519PrivateKeyParameters.KEY_SIZE : X448PrivateKeyParameters.KEY_SIZE];
        random.nextBytes(priv);
        return restore(priv);
    }

    @Override
    public LocalKey restore(byte[] privateOctets) {
        int size = type == KeyType.X25519 ? X25519PrivateKeyParameters.KEY_SIZE : X448PrivateKeyParameters.KEY_SIZE;
        if (privateOctets.length != size) {
            throw new IllegalArgumentException(type.elementName() + " private keys have " + size + " octets");
        }
        return new Local(privateOctets.clone());
    }

    @Override
    public RemoteKey decode(PublishedKey published) {
        if (published.type() != type) {
            throw new IllegalArgumentException("a " + published.type().elementName() + " key is not a " + type.elementName() + " key");
        }
        // Every u-coordinate is accepted by RFC 7748; a low-order point shows up as an
        // all-zero agreement output, which agree() refuses.
        return new Remote(published);
    }

    private final class Local implements LocalKey {
        private final byte[] priv;
        private final Remote remote;

        Local(byte[] priv) {
            this.priv = priv;
            byte[] pub = type == KeyType.X25519
                    ? new X25519PrivateKeyParameters(priv).generatePublicKey().getEncoded()
                    : new X448PrivateKeyParameters(priv).generatePublicKey().getEncoded();
            this.remote = new Remote(new PublishedKey(type, pub));
        }

        @Override
        public KeyType type() {
            return type;
        }

        @Override
        public PublishedKey published() {
            return remote.published;
        }

        @Override
        public RemoteKey asRemote() {
            return remote;
        }

        @Override
        public byte[] agree(RemoteKey peer) throws GeneralSecurityException {
            if (peer.type() != type) {
                throw new GeneralSecurityException("cannot agree a " + type.elementName() + " key with a "
                        + peer.type().elementName() + " key");
            }
            byte[] raw = rawAgreement(peer.published().pub());
            boolean allZero = true;
            for (byte b : raw) {
                allZero &= b == 0;
            }
            if (allZero) {
                throw new GeneralSecurityException(type.elementName() + " peer key has low order (all-zero secret)");
            }
            return Sha256.of(Octets.reversed(raw));
        }

        /** The RFC 7748 function output, as the RFC's test vectors print it. */
        byte[] rawAgreement(byte[] peerPub) {
            if (type == KeyType.X25519) {
                X25519Agreement a = new X25519Agreement();
                a.init(new X25519PrivateKeyParameters(priv));
                byte[] out = new byte[a.getAgreementSize()];
                try {
                    a.calculateAgreement(new X25519PublicKeyParameters(peerPub), out, 0);
                } catch (IllegalStateException e) {
                    return new byte[out.length]; // BC refuses the all-zero output itself
                }
                return out;
            }
            X448Agreement a = new X448Agreement();
            a.init(new X448PrivateKeyParameters(priv));
            byte[] out = new byte[a.getAgreementSize()];
            try {
                a.calculateAgreement(new X448PublicKeyParameters(peerPub), out, 0);
            } catch (IllegalStateException e) {
                return new byte[out.length];
            }
            return out;
        }

        @Override
        public byte[] unwrap(byte[] wrapped) throws GeneralSecurityException {
            throw new GeneralSecurityException(type.elementName() + " keys agree keys; they do not unwrap k");
        }

        @Override
        public byte[] sign(byte[] data, SecureRandom random) {
            throw new UnsupportedOperationException(type.elementName() + " keys cannot sign; use acp for integrity");
        }
    }

    private final class Remote implements RemoteKey {
        private final PublishedKey published;

        Remote(PublishedKey published) {
            this.published = published;
        }

        @Override
        public KeyType type() {
            return type;
        }

        @Override
        public PublishedKey published() {
            return published;
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            return false; // nothing signed under this type can be verified
        }

        @Override
        public WrappedKey wrap(SecureRandom random) {
            throw new UnsupportedOperationException(type.elementName() + " keys agree keys; nothing is wrapped");
        }
    }
}
