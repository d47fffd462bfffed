package org.xp2p.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Base64TextTest {

    @Test
    void whitespaceBetweenCharactersIsAllowedAsInXmlSchema() {
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Base64Text.decode(" AQID\n BA== "));
    }

    @Test
    void nonCanonicalEncodingsAreRejected() {
        // 'AR==' carries non-zero unused bits: base64Binary does not allow it.
        assertThrows(IllegalArgumentException.class, () -> Base64Text.decode("AR=="));
        assertThrows(IllegalArgumentException.class, () -> Base64Text.decode("AQ"));
    }

    @Test
    void garbageIsRejectedAndTheMessageDoesNotEchoAHugeValue() {
        String huge = "!".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Base64Text.decode(huge));
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        assertTrue(e.getMessage().contains("100000 characters"));
    }
}
