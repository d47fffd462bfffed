package org.xp2p.e2e;

import java.util.List;
import java.util.Objects;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * What a device accepts and prefers: minimum security strength, the order in which key
 * types and ciphers are chosen for sending, and the mode. It applies in both directions,
 * so a peer can never talk us below it: its weaker keys are ignored and its stanzas under
 * weaker types are rejected.
 *
 * @param minSecurityBits              keys rated below this (NIST SP 800-57) are ignored; default 128
 * @param preferredKeyTypes            the order in which a common key type is chosen for sending
 * @param preferredCiphers             the order in which a cipher the peer accepts is chosen
 * @param mode                         encrypt-if-possible, require E2E, require post-quantum
 * @param acceptUnauthenticatedCiphers whether {@code aes}/{@code cha} are allowed with x25519/x448,
 *                                     where nothing detects tampering (the reference implementation
 *                                     allows it; we do not by default)
 * @param replayWindow                 how many counters below the highest seen are still accepted once
 */
public record E2ePolicy(int minSecurityBits, List<KeyType> preferredKeyTypes, List<SymmetricCipher> preferredCiphers,
                        E2eMode mode, boolean acceptUnauthenticatedCiphers, int replayWindow) {

    public static final int DEFAULT_MIN_SECURITY_BITS = 128;
    public static final int DEFAULT_REPLAY_WINDOW = 256;

    /** Fast, widely deployed types first; the weak ones come last and are cut by the strength floor anyway. */
    public static final List<KeyType> DEFAULT_KEY_ORDER = List.of(
            KeyType.ED25519, KeyType.X25519, KeyType.P256, KeyType.ED448, KeyType.X448, KeyType.P384, KeyType.P521,
            KeyType.BP256, KeyType.BP320, KeyType.BP384, KeyType.BP512, KeyType.ML128, KeyType.ML192, KeyType.ML256,
            KeyType.RSA, KeyType.P224, KeyType.BP224, KeyType.P192, KeyType.BP192, KeyType.BP160);

    public static final E2ePolicy DEFAULT = new E2ePolicy(DEFAULT_MIN_SECURITY_BITS, DEFAULT_KEY_ORDER,
            List.of(SymmetricCipher.ACP, SymmetricCipher.CHA, SymmetricCipher.AES), E2eMode.ENCRYPT_IF_POSSIBLE,
            false, DEFAULT_REPLAY_WINDOW);

    public E2ePolicy {
        Objects.requireNonNull(mode, "mode");
        preferredKeyTypes = List.copyOf(preferredKeyTypes);
        preferredCiphers = List.copyOf(preferredCiphers);
        if (preferredKeyTypes.isEmpty() || preferredCiphers.isEmpty()) {
            throw new IllegalArgumentException("a policy needs at least one key type and one cipher");
        }
        if (replayWindow < 1) {
            throw new IllegalArgumentException("replay window must hold at least one counter, not " + replayWindow);
        }
    }

    public E2ePolicy withMode(E2eMode newMode) {
        return new E2ePolicy(minSecurityBits, preferredKeyTypes, preferredCiphers, newMode, acceptUnauthenticatedCiphers, replayWindow);
    }

    public E2ePolicy withMinSecurityBits(int bits) {
        return new E2ePolicy(bits, preferredKeyTypes, preferredCiphers, mode, acceptUnauthenticatedCiphers, replayWindow);
    }

    public E2ePolicy withPreferredKeyTypes(List<KeyType> types) {
        return new E2ePolicy(minSecurityBits, types, preferredCiphers, mode, acceptUnauthenticatedCiphers, replayWindow);
    }

    public E2ePolicy withPreferredCiphers(List<SymmetricCipher> ciphers) {
        return new E2ePolicy(minSecurityBits, preferredKeyTypes, ciphers, mode, acceptUnauthenticatedCiphers, replayWindow);
    }

    public E2ePolicy withUnauthenticatedCiphers(boolean accept) {
        return new E2ePolicy(minSecurityBits, preferredKeyTypes, preferredCiphers, mode, accept, replayWindow);
    }

    /** Whether stanzas may use a key like this one, in either direction. */
    public boolean allows(PublishedKey key) {
        if (key.securityBits() < minSecurityBits) {
            return false;
        }
        return mode != E2eMode.REQUIRE_POST_QUANTUM || key.type().postQuantum();
    }

    /** Whether the pair (key type, cipher) protects integrity or the policy waives that. */
    public boolean allows(KeyType type, SymmetricCipher cipher) {
        return type.signs() || cipher == SymmetricCipher.ACP || acceptUnauthenticatedCiphers;
    }

    /** Whether plaintext messages and iqs may be sent or accepted at all. */
    public boolean plaintextAllowed() {
        return mode == E2eMode.ENCRYPT_IF_POSSIBLE;
    }
}
