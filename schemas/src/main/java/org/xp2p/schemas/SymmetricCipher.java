package org.xp2p.schemas;

import java.util.Optional;

/** The three symmetric ciphers of the E2E vocabulary, named as their elements. */
public enum SymmetricCipher {
    /** AES-256-CBC with varint length prefix and random fill; no integrity of its own. */
    AES("aes"),
    /** ChaCha20, no integrity of its own. */
    CHA("cha"),
    /** ChaCha20-Poly1305 AEAD. */
    ACP("acp");

    private final String elementName;

    SymmetricCipher(String elementName) {
        this.elementName = elementName;
    }

    public String elementName() {
        return elementName;
    }

    public static Optional<SymmetricCipher> byElementName(String name) {
        for (SymmetricCipher c : values()) {
            if (c.elementName.equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
