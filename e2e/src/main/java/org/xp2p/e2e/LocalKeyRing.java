package org.xp2p.e2e;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.e2e.crypto.KeyAlgorithms;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.smack.E2eElement;

/**
 * Our E2E keys: the current generation, used to send and to receive, and the previous
 * one, kept only to decrypt stanzas that peers sent before they saw our new presence.
 * Older generations are dropped at rotation and their private keys are unreachable.
 *
 * <p>Thread-safe. {@link #rotate()} runs on the caller's thread (the device's scheduled
 * executor for timed rotation, see {@link KeyRotationSchedule}); it generates all keys
 * first and then swaps the generations atomically, so a concurrent encrypt or decrypt
 * sees either the old pair or the new pair, never a mix. Rotation listeners run on the
 * rotating thread, after the swap; they typically publish a new presence.
 */
public final class LocalKeyRing {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKeyRing.class);

    /** Types generated when the caller names none: fast, widely deployed, and one post-quantum pair. */
    public static final Set<KeyType> DEFAULT_TYPES = Set.copyOf(EnumSet.of(
            KeyType.ED25519, KeyType.X25519, KeyType.P256, KeyType.ED448, KeyType.X448, KeyType.P384, KeyType.P521,
            KeyType.BP256, KeyType.BP384, KeyType.BP512, KeyType.ML128));

    private record Generations(KeyGeneration current, KeyGeneration previous) {
    }

    private final Set<KeyType> types;
    private final int securityBits;
    private final SecureRandom random;
    private final Clock clock;
    private final List<Consumer<KeyGeneration>> listeners = new CopyOnWriteArrayList<>();
    private volatile Generations generations;

    /**
     * Creates the ring and its first generation.
     *
     * @param types        the key types to generate and publish
     * @param securityBits strength of generated RSA keys (others have a fixed strength)
     * @param random       source of all key material; a deterministic one only in tests
     */
    public LocalKeyRing(Collection<KeyType> types, int securityBits, SecureRandom random) {
        this(types, securityBits, random, Clock.systemUTC());
    }

    LocalKeyRing(Collection<KeyType> types, int securityBits, SecureRandom random, Clock clock) {
        this(types, securityBits, random, clock, 0);
    }

    /** For tests: the first generation's counters start at {@code firstCounter}. */
    LocalKeyRing(Collection<KeyType> types, int securityBits, SecureRandom random, Clock clock, long firstCounter) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("a key ring needs at least one key type");
        }
        this.types = Set.copyOf(EnumSet.copyOf(types));
        this.securityBits = securityBits;
        this.random = random;
        this.clock = clock;
        this.generations = new Generations(generate(1, firstCounter), null);
    }

    /** A ring of {@link #DEFAULT_TYPES}. */
    public static LocalKeyRing withDefaultTypes(SecureRandom random) {
        return new LocalKeyRing(DEFAULT_TYPES, E2ePolicy.DEFAULT_MIN_SECURITY_BITS, random);
    }

    public KeyGeneration current() {
        return generations.current;
    }

    public Optional<KeyGeneration> previous() {
        return Optional.ofNullable(generations.previous);
    }

    /** The generations that may decrypt a received stanza: current first, then previous. */
    KeyGeneration[] decrypting() {
        Generations g = generations;
        return g.previous == null ? new KeyGeneration[] {g.current} : new KeyGeneration[] {g.current, g.previous};
    }

    /**
     * Generates a new current generation; the current one becomes previous and the
     * previous one is discarded.
     *
     * @return the new current generation
     */
    public KeyGeneration rotate() {
        KeyGeneration fresh;
        synchronized (this) {
            Generations before = generations;
            fresh = generate(before.current.number() + 1, 0);
            generations = new Generations(fresh, before.current);
            LOG.debug("Rotated E2E keys to {}; {} kept for decryption, {} discarded", fresh, before.current,
                    before.previous == null ? "nothing" : before.previous);
        }
        for (Consumer<KeyGeneration> listener : listeners) {
            try {
                listener.accept(fresh);
            } catch (RuntimeException e) {
                LOG.warn("Key rotation listener failed", e);
            }
        }
        return fresh;
    }

    /** Rotation on (re)connection to the broker, as the wire specification asks. */
    public KeyGeneration onReconnect() {
        return rotate();
    }

    /** Called after each rotation, on the rotating thread, with the new current generation. */
    public void addRotationListener(Consumer<KeyGeneration> listener) {
        listeners.add(listener);
    }

    public void removeRotationListener(Consumer<KeyGeneration> listener) {
        listeners.remove(listener);
    }

    /** Our {@code <e2e/>}: the current public keys and the ciphers we accept. */
    public E2eElement e2eElement(Collection<SymmetricCipher> accepted) {
        return new E2eElement(accepted.contains(SymmetricCipher.AES), accepted.contains(SymmetricCipher.CHA),
                accepted.contains(SymmetricCipher.ACP), current().published());
    }

    private KeyGeneration generate(long number, long firstCounter) {
        Map<KeyType, OwnKey> keys = new EnumMap<>(KeyType.class);
        for (KeyType type : types) {
            keys.put(type, new OwnKey(KeyAlgorithms.of(type, securityBits).generate(random), firstCounter));
        }
        return new KeyGeneration(number, clock.instant(), keys);
    }
}
