package org.xp2p.e2e.crypto;

import java.util.EnumMap;
import java.util.Map;
import org.xp2p.schemas.KeyType;

/**
 * The {@link KeyAlgorithm} of each key type. RSA keys are generated at the modulus size
 * NIST rates at the requested strength; decoding accepts every valid size. Thread-safe.
 */
public final class KeyAlgorithms {
    private static final Map<KeyType, KeyAlgorithm> BY_TYPE = new EnumMap<>(KeyType.class);

    static {
        for (KeyType type : KeyType.values()) {
            BY_TYPE.put(type, create(type, 128));
        }
    }

    private KeyAlgorithms() {
    }

    /** The algorithm of {@code type}; RSA generates 3072-bit keys (128-bit strength). */
    public static KeyAlgorithm of(KeyType type) {
        return BY_TYPE.get(type);
    }

    /** The algorithm of {@code type} generating keys of at least {@code securityBits} (matters for RSA only). */
    public static KeyAlgorithm of(KeyType type, int securityBits) {
        return type == KeyType.RSA ? create(type, securityBits) : BY_TYPE.get(type);
    }

    /**
     * What signs with ed25519 keys in this JVM: "libsodium VERSION" when the system library
     * is there (see the {@code xp2p.e2e.libsodium} property), else "Bouncy Castle (why)".
     */
    public static String ed25519Signing() {
        return LibsodiumEd25519.implementation();
    }

    /** RSA generating keys with a modulus of exactly {@code modulusBits}. */
    public static KeyAlgorithm rsa(int modulusBits) {
        return new RsaAlgorithm(modulusBits);
    }

    private static KeyAlgorithm create(KeyType type, int securityBits) {
        return switch (type) {
            case X25519, X448 -> new MontgomeryAlgorithm(type);
            case ED25519, ED448 -> new EdwardsAlgorithm(type);
            case RSA -> new RsaAlgorithm(RsaAlgorithm.modulusBitsFor(securityBits));
            case ML128, ML192, ML256 -> new MlAlgorithm(type);
            default -> WeierstrassAlgorithm.of(type);
        };
    }
}
