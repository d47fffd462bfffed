package org.xp2p.schemas;

import java.util.Optional;

/**
 * The public key types of the E2E vocabulary, named as their elements in {@code <e2e/>}
 * and in the {@code r} attribute, with the size rules of their {@code pub} encoding.
 * What each type does cryptographically lives in the e2e module; this enum knows only
 * what the wire format says about it.
 */
public enum KeyType {
    X25519("x25519", 32, 128, false),
    X448("x448", 56, 224, false),
    ED25519("ed25519", 32, 128, true),
    ED448("ed448", 57, 224, true),
    P192("p192", 48, 96, true),
    P224("p224", 56, 112, true),
    P256("p256", 64, 128, true),
    P384("p384", 96, 192, true),
    P521("p521", 132, 256, true),
    BP160("bp160", 40, 80, true),
    BP192("bp192", 48, 96, true),
    BP224("bp224", 56, 112, true),
    BP256("bp256", 64, 128, true),
    BP320("bp320", 80, 160, true),
    BP384("bp384", 96, 192, true),
    BP512("bp512", 128, 256, true),
    /** Variable size; the strength is that of the modulus size (NIST SP 800-57). */
    RSA("rsa", -1, 0, true),
    ML128("ml128", 2112, 128, true),
    ML192("ml192", 3136, 192, true),
    ML256("ml256", 4160, 256, true);

    /** Marks a type whose pub length depends on the key (RSA). */
    public static final int VARIABLE = -1;
    public static final int RSA_MIN_MODULUS_BITS = 1024;
    public static final int RSA_MAX_MODULUS_BITS = 16384;
    public static final int RSA_MAX_EXPONENT_OCTETS = 16;

    private final String elementName;
    private final int pubOctets;
    private final int securityBits;
    private final boolean signs;

    KeyType(String elementName, int pubOctets, int securityBits, boolean signs) {
        this.elementName = elementName;
        this.pubOctets = pubOctets;
        this.securityBits = securityBits;
        this.signs = signs;
    }

    /** The element name in {@code <e2e/>}, also the value of {@code r}. */
    public String elementName() {
        return elementName;
    }

    /** Octets of the decoded {@code pub} attribute, or {@link #VARIABLE}. */
    public int pubOctets() {
        return pubOctets;
    }

    /** Whether stanzas encrypted under this type carry a signature {@code s}. */
    public boolean signs() {
        return signs;
    }

    /** Post-quantum: the ML-KEM + ML-DSA pairs. */
    public boolean postQuantum() {
        return this == ML128 || this == ML192 || this == ML256;
    }

    /**
     * Security strength in bits of a key with this {@code pub}, as NIST SP 800-57 rates
     * it; for RSA it follows the modulus size (2048: 112, 3072: 128, 7680: 192, 15360: 256).
     */
    public int securityBits(byte[] pub) {
        if (this != RSA) {
            return securityBits;
        }
        int bits = rsaModulusBits(pub);
        if (bits >= 15360) return 256;
        if (bits >= 7680) return 192;
        if (bits >= 3072) return 128;
        if (bits >= 2048) return 112;
        return 80;
    }

    /** The type named by an element name, case-sensitive as XML is. */
    public static Optional<KeyType> byElementName(String name) {
        for (KeyType t : values()) {
            if (t.elementName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * Why {@code pub} is not a well-formed key of this type, or empty when it is. Checks
     * sizes and layout only; whether the point is on the curve is the e2e module's job.
     */
    public Optional<String> checkPub(byte[] pub) {
        if (this != RSA) {
            return pub.length == pubOctets
                    ? Optional.empty()
                    : Optional.of(elementName + " keys have " + pubOctets + " octets, this one has " + pub.length);
        }
        if (pub.length < 3) {
            return Optional.of("rsa key of " + pub.length + " octets is too short for size, modulus and exponent");
        }
        int bits = rsaModulusBits(pub);
        if (bits < RSA_MIN_MODULUS_BITS || bits > RSA_MAX_MODULUS_BITS || bits % 8 != 0) {
            return Optional.of("rsa modulus size " + bits + " bits is not a multiple of 8 between "
                    + RSA_MIN_MODULUS_BITS + " and " + RSA_MAX_MODULUS_BITS);
        }
        int exponentOctets = pub.length - 2 - bits / 8;
        if (exponentOctets < 1 || exponentOctets > RSA_MAX_EXPONENT_OCTETS) {
            return Optional.of("rsa key declares a " + bits + "-bit modulus but leaves " + exponentOctets
                    + " octets for the exponent (1 to " + RSA_MAX_EXPONENT_OCTETS + " expected)");
        }
        if ((pub[2] & 0x80) == 0) {
            return Optional.of("rsa modulus does not fill its declared " + bits + " bits");
        }
        return Optional.empty();
    }

    private static int rsaModulusBits(byte[] pub) {
        return pub.length < 2 ? 0 : (pub[0] & 0xff) | (pub[1] & 0xff) << 8;
    }
}
