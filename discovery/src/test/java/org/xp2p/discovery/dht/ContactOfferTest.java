package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Contact offers: armoured, signed, and refused when altered. */
class ContactOfferTest {

    private static final NodeIdentity BOB = NodeIdentity.generate(new SecureRandom(), 0);

    @Test
    void offerSurvivesArmourAndSurroundingText() throws Exception {
        ContactOffer offer = ContactOffer.create(BOB, "bob@example.org/laptop",
                List.of(new InetSocketAddress("127.0.0.1", 4100), new InetSocketAddress("::1", 4100)), 1234L);
        String text = "Hi, here is my contact:\n\n" + offer.armoured() + "\nbye";
        assertTrue(offer.armoured().startsWith(ContactOffer.BEGIN));
        ContactOffer back = ContactOffer.parse(text);
        assertEquals(offer, back);
        assertEquals(BOB.id(), back.nodeId());
    }

    @Test
    void alteredOfferIsRefused() {
        ContactOffer offer = ContactOffer.create(BOB, "bob@example.org", List.of(new InetSocketAddress("127.0.0.1", 1)), 1L);
        String armoured = offer.armoured();
        String b64 = armoured.substring(ContactOffer.BEGIN.length(), armoured.indexOf(ContactOffer.END)).trim();
        byte[] raw = Base64.getMimeDecoder().decode(b64);
        raw[40] ^= 1; // inside the JID
        String forged = ContactOffer.BEGIN + "\n" + Base64.getMimeEncoder().encodeToString(raw) + "\n" + ContactOffer.END;
        ContactOfferException e = assertThrows(ContactOfferException.class, () -> ContactOffer.parse(forged));
        assertTrue(e.getMessage().contains("signature") || e.getMessage().contains("malformed"), e.getMessage());
        assertThrows(ContactOfferException.class, () -> ContactOffer.parse("no offer here"));
        assertThrows(ContactOfferException.class,
                () -> ContactOffer.parse(ContactOffer.BEGIN + "\n!!!\n" + ContactOffer.END));
    }
}
