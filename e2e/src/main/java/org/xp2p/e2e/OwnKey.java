package org.xp2p.e2e;

import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.xp2p.e2e.crypto.LocalKey;
import org.xp2p.e2e.crypto.RemoteKey;
import org.xp2p.schemas.smack.EncryptedElement;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * One key of a {@link KeyGeneration}: the key pair, its own stanza counter, and the
 * symmetric keys already agreed with peers, so that an ECDH runs once per
 * (our key, peer key) pair and not once per stanza. Thread-safe.
 */
public final class OwnKey {
    /** Agreed keys kept per local key; a device talks to far fewer peer keys than this. */
    static final int MAX_CACHED_AGREEMENTS = 4096;

    private final LocalKey key;
    private final AtomicLong counter;
    private final Map<PublishedKey, byte[]> agreed = new ConcurrentHashMap<>();
    private volatile Agreement lastAgreement;

    OwnKey(LocalKey key) {
        this(key, 0);
    }

    OwnKey(LocalKey key, long firstCounter) {
        this.key = key;
        this.counter = new AtomicLong(firstCounter);
    }

    public LocalKey key() {
        return key;
    }

    /**
     * The counter for the next stanza sent under this key.
     *
     * @throws IllegalStateException when all 2^32 counters are used: the key must be rotated
     */
    public long nextCounter() {
        long c = counter.getAndIncrement();
        if (c > EncryptedElement.MAX_COUNTER) {
            throw new IllegalStateException("all 2^32 counters of this " + key.type().elementName()
                    + " key are used; rotate the key ring");
        }
        return c;
    }

    /** The counter for the next stanza, or empty when all 2^32 are used. */
    java.util.OptionalLong tryNextCounter() {
        long c = counter.getAndIncrement();
        return c > EncryptedElement.MAX_COUNTER ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(c);
    }

    /** The symmetric key agreed with {@code peer}, computed on first use and then cached. */
    public byte[] agreedKey(RemoteKey peer) throws GeneralSecurityException {
        // Stanzas come in runs from one peer, whose keys are the same objects each time; the
        // map lookup hashes the whole public key. A remote key is immutable and the
        // agreement deterministic, so the last pair stays right whatever the map drops.
        Agreement last = lastAgreement;
        if (last != null && last.peer() == peer) {
            return last.key();
        }
        byte[] cached = agreed.get(peer.published());
        if (cached == null) {
            cached = key.agree(peer);
            if (agreed.size() >= MAX_CACHED_AGREEMENTS) {
                agreed.clear(); // crude, but bounded: recomputing is correct, only slower
            }
            agreed.put(peer.published(), cached);
        }
        lastAgreement = new Agreement(peer, cached);
        return cached;
    }

    /** The key agreed with one peer key object. */
    private record Agreement(RemoteKey peer, byte[] key) {
    }

    /** How many agreements are cached (for tests and stats). */
    int cachedAgreements() {
        return agreed.size();
    }
}
