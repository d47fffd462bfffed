package org.xp2p.samples.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.xp2p.e2e.identity.IdentityKey;

class SignedBroadcastTest {
    private final SecureRandom random = new SecureRandom();
    private final IdentityKey key = IdentityKey.generate(random);

    @Test
    void theSignatureCoversOriginSequenceTimeAndText() {
        SignedBroadcast b = SignedBroadcast.sign("a@x", key, 10, 1000, "hello");
        assertTrue(b.verifies(key.publicKey()));
        assertFalse(b.withText("hellO").verifies(key.publicKey()));
        assertFalse(new SignedBroadcast("b@x", 10, 1000, "hello", b.signature()).verifies(key.publicKey()));
        assertFalse(new SignedBroadcast("a@x", 11, 1000, "hello", b.signature()).verifies(key.publicKey()));
        assertFalse(new SignedBroadcast("a@x", 10, 1001, "hello", b.signature()).verifies(key.publicKey()));
        assertFalse(b.verifies(IdentityKey.generate(random).publicKey()));
    }

    @Test
    void theCanonicalEncodingStartsWithTheDomainAndKeepsFieldsApart() {
        byte[] c = SignedBroadcast.sign("a@x", key, 1, 2, "t").canonical();
        String text = new String(c, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("\u0000\u0017" + SignedBroadcast.DOMAIN + "\u0000\u0003a@x"), text);
        assertEquals(2 + 23 + 2 + 3 + 8 + 8 + 4 + 1, c.length);
    }

    @Test
    void theWebhookDocumentEscapesTheText() {
        SignedBroadcast b = SignedBroadcast.sign("a@x", key, 1, 0, "say \"hi\"\n\\ \u0001");
        assertEquals("{\"origin\":\"a@x\",\"sequence\":1,\"time\":\"1970-01-01T00:00:00Z\",\"text\":\"say \\\"hi\\\"\\n\\\\ \\u0001\","
                + "\"receiver\":\"c@x\",\"via\":\"r@x\"}", WebhookPoster.json("c@x", "r@x", b));
    }
}
