package org.xp2p.e2e.crypto;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Arrays;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ed25519 signing by libsodium, the system's shared library, reached through JNA. Signing is
 * the largest cost of an E2E stanza with ed25519 keys, and libsodium signs about 1.7 times as
 * fast as Bouncy Castle's pure Java ({@code bench/run ed25519-sign}). Ed25519 signatures are
 * deterministic, so both give the same octets for the same key and message: this is a faster
 * path to the same result, and {@link EdwardsAlgorithm} falls back to Bouncy Castle wherever
 * the library is missing.
 *
 * <p>Used only when all of these hold: JNA can load {@code libsodium} (Debian: libsodium23),
 * {@code sodium_init} succeeds, the library reproduces RFC 8032 test 2 at load, and the system
 * property {@value #DISABLE_PROPERTY} is not {@code false}. Only signing goes here:
 * verification stays with Bouncy Castle and our batch verifier, whose acceptance rules for
 * edge cases (non-canonical points, small orders) are tested against each other.
 */
final class LibsodiumEd25519 {
    private static final Logger LOG = LoggerFactory.getLogger(LibsodiumEd25519.class);
    /** Set to {@code false} to sign with Bouncy Castle even when libsodium is installed. */
    static final String DISABLE_PROPERTY = "xp2p.e2e.libsodium";
    private static final int SECRET_KEY_OCTETS = 64;
    private static final int SIGNATURE_OCTETS = 64;

    /** Why the library is not used, or null when it is; fixed at class load. */
    private static final String UNAVAILABLE = load();

    private LibsodiumEd25519() {
    }

    private static String load() {
        if ("false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY))) {
            return "disabled by -D" + DISABLE_PROPERTY + "=false";
        }
        String reason;
        try {
            Native.register(Binding.class, "sodium");
            if (Binding.sodium_init() < 0) {
                reason = "sodium_init failed";
            } else {
                reason = knownAnswerFailure();
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | IllegalStateException e) {
            reason = "cannot load libsodium: " + e.getMessage();
        }
        if (reason == null) {
            LOG.debug("ed25519 signing by libsodium {}", version());
        } else {
            LOG.info("ed25519 signing by Bouncy Castle ({})", reason);
        }
        return reason;
    }

    /** RFC 8032 section 7.1 test 2: null when the library signs it exactly. */
    private static String knownAnswerFailure() {
        HexFormat hex = HexFormat.of();
        byte[] seed = hex.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        byte[] pub = hex.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        byte[] expected = hex.parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
        byte[] got = new SigningKey(seed, pub).sign(new byte[] {0x72});
        return Arrays.equals(expected, got) ? null : "libsodium failed the RFC 8032 known-answer test";
    }

    /** True when signing goes to libsodium in this JVM. */
    static boolean isAvailable() {
        return UNAVAILABLE == null;
    }

    /** "libsodium VERSION", or "Bouncy Castle (why not libsodium)": for logs and benchmark tables. */
    static String implementation() {
        return UNAVAILABLE == null ? "libsodium " + version() : "Bouncy Castle (" + UNAVAILABLE + ")";
    }

    private static String version() {
        return Binding.sodium_version_string();
    }

    /**
     * A key in libsodium's layout (seed then public key), written once to native memory
     * (freed with this object, like the Java copies of the seed) rather than copied there
     * for every signature.
     */
    static final class SigningKey {
        private final Memory secret = new Memory(SECRET_KEY_OCTETS);

        SigningKey(byte[] seed, byte[] publicKey) {
            if (seed.length != 32 || publicKey.length != 32) {
                throw new IllegalArgumentException("ed25519 seeds and public keys have 32 octets");
            }
            secret.write(0, seed, 0, 32);
            secret.write(32, publicKey, 0, 32);
        }

        byte[] sign(byte[] data) {
            byte[] signature = new byte[SIGNATURE_OCTETS];
            int rc = Binding.crypto_sign_ed25519_detached(signature, null, data, data.length, secret);
            if (rc != 0) {
                throw new IllegalStateException("libsodium crypto_sign_ed25519_detached returned " + rc);
            }
            return signature;
        }
    }

    /** JNA direct mapping: the fastest call path JNA has, with no per-call reflection. */
    private static final class Binding {
        static native int sodium_init();

        static native String sodium_version_string();

        static native int crypto_sign_ed25519_detached(byte[] sig, Pointer sigLength, byte[] message,
                long messageLength, Pointer secretKey);
    }
}
