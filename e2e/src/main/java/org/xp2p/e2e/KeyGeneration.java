package org.xp2p.e2e;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * One generation of our E2E keys, one per configured type, created together at a
 * rotation. Numbered from 1; immutable (the keys' counters are their own).
 */
public final class KeyGeneration {
    private final long number;
    private final Instant created;
    private final Map<KeyType, OwnKey> keys;

    KeyGeneration(long number, Instant created, Map<KeyType, OwnKey> keys) {
        this.number = number;
        this.created = created;
        this.keys = Collections.unmodifiableMap(new EnumMap<>(keys));
    }

    public long number() {
        return number;
    }

    public Instant created() {
        return created;
    }

    public Optional<OwnKey> key(KeyType type) {
        return Optional.ofNullable(keys.get(type));
    }

    public Set<KeyType> types() {
        return keys.keySet();
    }

    /** The public keys, in the key-type order of the wire vocabulary. */
    public List<PublishedKey> published() {
        return keys.values().stream().map(k -> k.key().published()).toList();
    }

    @Override
    public String toString() {
        return "generation " + number + " " + keys.keySet();
    }
}
