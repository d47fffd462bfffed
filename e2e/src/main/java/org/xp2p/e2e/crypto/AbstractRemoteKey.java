package org.xp2p.e2e.crypto;

import java.security.SecureRandom;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/** What every {@link RemoteKey} shares: the published form it was decoded from, which gives its type. */
abstract class AbstractRemoteKey implements RemoteKey {
    private final PublishedKey published;

    AbstractRemoteKey(PublishedKey published) {
        this.published = published;
    }

    @Override
    public final KeyType type() {
        return published.type();
    }

    @Override
    public final PublishedKey published() {
        return published;
    }

    /**
     * @throws IllegalArgumentException when {@code published} is not of the type an algorithm decodes
     */
    static void requireType(KeyType expected, PublishedKey published) {
        if (published.type() != expected) {
            throw new IllegalArgumentException("a " + published.type().elementName() + " key is not a "
                    + expected.elementName() + " key");
        }
    }

    /** A peer's key of a key-agreement type: the symmetric key is agreed, never wrapped for it. */
    abstract static class Agreeing extends AbstractRemoteKey {
        Agreeing(PublishedKey published) {
            super(published);
        }

        /** @throws KeyCapabilityException always: only rsa and ml* keys wrap */
        @Override
        public final WrappedKey wrap(SecureRandom random) {
            throw new KeyCapabilityException(type().elementName() + " keys agree keys; nothing is wrapped");
        }
    }
}
