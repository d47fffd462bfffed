package org.xp2p.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.e2e.crypto.KeyAlgorithms;
import org.xp2p.e2e.crypto.RemoteKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * A peer's usable E2E keys: those of its latest {@code <e2e/>} that the policy allows and
 * that decode to valid keys, the ciphers it accepts, and the keys of its previous
 * {@code <e2e/>}, still trusted to verify stanzas it sent before rotating. Immutable.
 */
public final class PeerKeys {
    private static final Logger LOG = LoggerFactory.getLogger(PeerKeys.class);
    private static final PeerKeys NONE = new PeerKeys(List.of(), Map.of(), EnumSet.noneOf(SymmetricCipher.class), Map.of());

    private final List<PublishedKey> source;
    private final Map<KeyType, RemoteKey> current;
    private final Set<SymmetricCipher> ciphers;
    private final Map<KeyType, RemoteKey> previous;

    private PeerKeys(List<PublishedKey> source, Map<KeyType, RemoteKey> current, Set<SymmetricCipher> ciphers,
                     Map<KeyType, RemoteKey> previous) {
        this.source = source;
        this.current = current;
        this.ciphers = ciphers;
        this.previous = previous;
    }

    /** A peer that publishes no keys (or whose keys are gone). */
    public static PeerKeys none() {
        return NONE;
    }

    /** The usable keys of {@code e2e}: keys below {@code policy} or not decodable are ignored. */
    public static PeerKeys of(E2eElement e2e, E2ePolicy policy) {
        Map<KeyType, RemoteKey> keys = new EnumMap<>(KeyType.class);
        for (PublishedKey published : e2e.keys()) {
            if (keys.containsKey(published.type())) {
                continue; // the first key of a type counts, as E2eElement.key(type) says
            }
            if (!policy.allows(published)) {
                LOG.debug("Ignoring peer {} key: {} bits is below the policy of {} bits or not post-quantum",
                        published.type().elementName(), published.securityBits(), policy.minSecurityBits());
                continue;
            }
            try {
                keys.put(published.type(), KeyAlgorithms.of(published.type()).decode(published));
            } catch (IllegalArgumentException e) {
                LOG.info("Ignoring invalid peer {} key: {}", published.type().elementName(), e.getMessage());
            }
        }
        Set<SymmetricCipher> accepted = EnumSet.noneOf(SymmetricCipher.class);
        for (SymmetricCipher c : SymmetricCipher.values()) {
            if (e2e.accepts(c)) {
                accepted.add(c);
            }
        }
        return new PeerKeys(e2e.keys(), Collections.unmodifiableMap(keys), Collections.unmodifiableSet(accepted), Map.of());
    }

    /**
     * These keys updated by a newer {@code <e2e/>}. When it publishes other keys, the
     * current keys become the previous ones; when it repeats the same keys (presence is
     * re-sent often), only the cipher flags change and the previous keys are kept.
     */
    public PeerKeys rotatedTo(E2eElement newer, E2ePolicy policy) {
        if (newer.keys().equals(source)) {
            Set<SymmetricCipher> accepted = EnumSet.noneOf(SymmetricCipher.class);
            for (SymmetricCipher c : SymmetricCipher.values()) {
                if (newer.accepts(c)) {
                    accepted.add(c);
                }
            }
            return new PeerKeys(source, current, Collections.unmodifiableSet(accepted), previous);
        }
        PeerKeys next = of(newer, policy);
        return new PeerKeys(next.source, next.current, next.ciphers, current);
    }

    public boolean isEmpty() {
        return current.isEmpty();
    }

    public Optional<RemoteKey> key(KeyType type) {
        return Optional.ofNullable(current.get(type));
    }

    public boolean accepts(SymmetricCipher cipher) {
        return ciphers.contains(cipher);
    }

    public Set<KeyType> types() {
        return current.keySet();
    }

    /** The keys that may have signed or agreed a received stanza of {@code type}: current first. */
    List<RemoteKey> senderCandidates(KeyType type) {
        List<RemoteKey> out = new ArrayList<>(2);
        RemoteKey now = current.get(type);
        if (now != null) {
            out.add(now);
        }
        RemoteKey before = previous.get(type);
        if (before != null && (now == null || !before.published().equals(now.published()))) {
            out.add(before);
        }
        return out;
    }

    @Override
    public String toString() {
        return "PeerKeys" + current.keySet() + ciphers + (previous.isEmpty() ? "" : " previous" + previous.keySet());
    }
}
