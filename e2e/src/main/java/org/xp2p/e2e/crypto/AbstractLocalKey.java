package org.xp2p.e2e.crypto;

import java.security.GeneralSecurityException;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/** What every {@link LocalKey} shares: its public half, which gives its type and what it publishes. */
abstract class AbstractLocalKey implements LocalKey {
    private final RemoteKey remote;

    AbstractLocalKey(RemoteKey remote) {
        this.remote = remote;
    }

    @Override
    public final KeyType type() {
        return remote.type();
    }

    @Override
    public final PublishedKey published() {
        return remote.published();
    }

    @Override
    public final RemoteKey asRemote() {
        return remote;
    }

    /** A key pair of a key-agreement type (Weierstrass, Montgomery, Edwards curves): nothing arrives wrapped for it. */
    abstract static class Agreeing extends AbstractLocalKey {
        Agreeing(RemoteKey remote) {
            super(remote);
        }

        @Override
        public final byte[] unwrap(byte[] wrapped) throws GeneralSecurityException {
            throw new GeneralSecurityException(type().elementName() + " keys agree keys; they do not unwrap k");
        }

        /** The refusal of a peer key this key cannot agree with (another type or another algorithm). */
        GeneralSecurityException cannotAgreeWith(RemoteKey peer) {
            return new GeneralSecurityException("cannot agree a " + type().elementName() + " key with a "
                    + peer.type().elementName() + " key");
        }
    }

    /** A key pair that transports keys in {@code k} (rsa, ml*): it agrees nothing. */
    abstract static class Transporting extends AbstractLocalKey {
        Transporting(RemoteKey remote) {
            super(remote);
        }

        @Override
        public final byte[] agree(RemoteKey peer) throws GeneralSecurityException {
            throw new GeneralSecurityException(type().elementName() + " keys transport keys in k; they do not agree");
        }
    }
}
