package org.xp2p.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;

/**
 * For each key type: fixed keys (from a labelled deterministic random), a fixed counter
 * and a fixed stanza give exactly the committed encrypted stanza, and that stanza
 * decrypts back to the original. A change of wire format, nonce, key derivation or
 * signature layout shows up here as a diff.
 *
 * <p>The expected files live in src/test/resources/golden. To regenerate them after a
 * deliberate change, delete them and run with {@code -Dxp2p.golden.write=true}.
 */
class GoldenStanzaTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final long COUNTER = 17;

    static SymmetricCipher cipherFor(KeyType type) {
        return type.signs() ? SymmetricCipher.values()[type.ordinal() % 3] : SymmetricCipher.ACP;
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void messageEncryptsToTheCommittedStanzaAndBack(KeyType type) throws Exception {
        SymmetricCipher cipher = cipherFor(type);
        E2ePolicy policy = Fixtures.anyStrength(type, cipher);
        E2eEndpoint alice = Fixtures.endpoint("golden-alice-" + type, Set.of(type), policy);
        E2eEndpoint bob = Fixtures.endpoint("golden-bob-" + type, Set.of(type), policy);
        E2eEndpoint.Choice choice = alice.choose(alice.peerKeys(bob.e2eElement())).orElseThrow();

        Message original = StanzaBuilder.buildMessage("golden-1").to(Fixtures.BOB).ofType(Message.Type.chat)
                .setLanguage("en").setBody("Golden <stanza> & \"quotes\", ünïcödé ✓").build();
        Message encrypted = alice.encrypt(original, Fixtures.ALICE, choice, COUNTER);
        String xml = encrypted.toXML().toString();
        assertEquals(expected("message-" + type.elementName() + ".xml", xml), xml);

        Stanza wire = PacketParserUtils.parseStanza(xml);
        wire.setFrom(Fixtures.ALICE);
        Inbound in = bob.decrypt(wire, bob.peerKeys(alice.e2eElement()));
        Message back = (Message) assertInstanceOf(Inbound.Accepted.class, in, in::toString).stanza();
        assertEquals(original.getBody(), back.getBody());
        assertEquals("en", back.getLanguage());
        assertEquals(Message.Type.chat, back.getType());
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"ED25519", "X25519", "P256", "RSA", "ML128"})
    void iqEncryptsToTheCommittedStanzaAndBack(KeyType type) throws Exception {
        SymmetricCipher cipher = cipherFor(type);
        E2ePolicy policy = Fixtures.anyStrength(type, cipher);
        E2eEndpoint alice = Fixtures.endpoint("golden-alice-" + type, Set.of(type), policy);
        E2eEndpoint bob = Fixtures.endpoint("golden-bob-" + type, Set.of(type), policy);
        E2eEndpoint.Choice choice = alice.choose(alice.peerKeys(bob.e2eElement())).orElseThrow();

        RoundTripTest.Ping ping = RoundTripTest.Ping.toBob(IQ.Type.set, "golden-iq-1");
        IQ encrypted = alice.encrypt(ping, Fixtures.ALICE, choice, COUNTER);
        String xml = encrypted.toXML().toString();
        assertEquals(expected("iq-" + type.elementName() + ".xml", xml), xml);

        Stanza wire = PacketParserUtils.parseStanza(xml);
        wire.setFrom(Fixtures.ALICE);
        Inbound in = bob.decrypt(wire, bob.peerKeys(alice.e2eElement()));
        IQ back = (IQ) assertInstanceOf(Inbound.Accepted.class, in, in::toString).stanza();
        assertEquals("ping", back.getChildElementName());
        assertEquals(IQ.Type.set, back.getType());
    }

    private static String expected(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (!Files.exists(file)) {
            assertTrue(Boolean.getBoolean("xp2p.golden.write"), "missing golden file " + file
                    + "; generate it deliberately with -Dxp2p.golden.write=true");
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual + "\n", StandardCharsets.UTF_8);
        }
        return Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
    }
}
