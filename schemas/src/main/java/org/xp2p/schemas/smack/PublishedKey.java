package org.xp2p.schemas.smack;

import java.util.Arrays;
import java.util.Objects;
import org.xp2p.schemas.Base64Text;
import org.xp2p.schemas.KeyType;

/**
 * One public key as a device publishes it in {@code <e2e/>}: its type and the octets of
 * its {@code pub} attribute, whose size and layout are checked on construction.
 */
public record PublishedKey(KeyType type, byte[] pub) {

    /**
     * @throws IllegalArgumentException when {@code pub} is not a well-formed key of {@code type}
     */
    public PublishedKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(pub, "pub");
        pub = pub.clone();
        String problem = type.checkPub(pub).orElse(null);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    @Override
    public byte[] pub() {
        return pub.clone();
    }

    public String pubBase64() {
        return Base64Text.encode(pub);
    }

    /** Security strength in bits (NIST SP 800-57). */
    public int securityBits() {
        return type.securityBits(pub);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublishedKey k && k.type == type && Arrays.equals(k.pub, pub);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(pub);
    }

    @Override
    public String toString() {
        return type.elementName() + "(" + pub.length + " octets)";
    }
}
