package org.xp2p.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.EncryptedElement;
import org.xp2p.schemas.smack.EncryptedIq;
import org.xp2p.schemas.smack.InvalidExtension;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.schemas.validation.StanzaValidator;

/** The stanzas of shared/spec (shipped as examples/ for `xp2p validate`) parse into typed objects. */
class SpecExampleTest {
    static {
        Fixtures.providers();
    }

    @Test
    void thePresenceExampleParsesIntoTypedKeysAndEndpoints() throws Exception {
        String xml = example("presence-e2e-p2p.xml");
        assertTrue(new StanzaValidator().validate(xml).valid());

        Presence presence = assertInstanceOf(Presence.class, Fixtures.parseStanza(xml));
        assertTrue(InvalidExtension.in(presence).isEmpty());
        E2eElement e2e = E2eElement.in(presence).orElseThrow();
        assertEquals(3, e2e.keys().size());
        assertEquals(32, e2e.key(KeyType.ED25519).orElseThrow().pub().length);
        assertEquals(32, e2e.key(KeyType.X25519).orElseThrow().pub().length);
        assertEquals(64, e2e.key(KeyType.P256).orElseThrow().pub().length);
        assertTrue(e2e.aes() && e2e.cha() && e2e.acp());

        P2pElement p2p = P2pElement.in(presence).orElseThrow();
        assertEquals(new InetSocketAddress("203.0.113.10", 52000), p2p.external());
        assertEquals(new InetSocketAddress("192.168.1.20", 50000), p2p.local());
    }

    @Test
    void theEncryptedMessageAndIqExamplesParse() throws Exception {
        Message message = assertInstanceOf(Message.class, Fixtures.parseStanza(example("message-aes.xml")));
        EncryptedElement aes = EncryptedElement.in(message).orElseThrow();
        assertEquals(SymmetricCipher.AES, aes.cipher());
        assertEquals(KeyType.ED25519, aes.keyType());
        assertEquals(17, aes.counter());
        assertEquals(64, aes.signature().length);

        EncryptedIq iq = assertInstanceOf(EncryptedIq.class, Fixtures.parseStanza(example("iq-acp.xml")));
        assertEquals(IQ.Type.set, iq.getType());
        assertEquals("3", iq.getStanzaId());
        EncryptedElement acp = iq.payload();
        assertEquals(SymmetricCipher.ACP, acp.cipher());
        assertEquals(KeyType.X25519, acp.keyType());
        assertFalse(acp.optionalSignature().isPresent());
    }

    static String example(String name) throws Exception {
        try (var in = Objects.requireNonNull(SpecExampleTest.class.getResourceAsStream("/examples/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
