package org.xp2p.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.SimpleIQ;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.smack.EncryptedElement;
import org.xp2p.schemas.smack.EncryptedIq;

/** Every key type with every cipher it may use: messages and iqs encrypt, travel as XML, and decrypt back. */
class RoundTripTest {

    static final class Ping extends SimpleIQ {
        Ping() {
            super("ping", "urn:xmpp:ping");
        }

        /** A ping of {@code type} with {@code id}, to Bob. */
        static Ping toBob(IQ.Type type, String id) {
            Ping ping = new Ping();
            ping.setType(type);
            ping.setStanzaId(id);
            ping.setTo(Fixtures.BOB);
            return ping;
        }
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void messagesAndIqsRoundTripUnderEveryCipher(KeyType type) throws Exception {
        for (SymmetricCipher cipher : SymmetricCipher.values()) {
            E2ePolicy policy = Fixtures.anyStrength(type, cipher).withUnauthenticatedCiphers(true);
            E2eEndpoint alice = Fixtures.endpoint("alice-" + type, Set.of(type), policy);
            E2eEndpoint bob = Fixtures.endpoint("bob-" + type, Set.of(type), policy);
            PeerKeys bobSeenByAlice = alice.peerKeys(bob.e2eElement());
            PeerKeys aliceSeenByBob = bob.peerKeys(alice.e2eElement());

            Message original = Fixtures.chat("m-" + cipher, "héllo <" + type + "> & " + cipher);
            Message sent = alice.encrypt(original, Fixtures.ALICE, bobSeenByAlice);
            EncryptedElement payload = EncryptedElement.in(sent).orElseThrow();
            assertEquals(type, payload.keyType());
            assertEquals(cipher, payload.cipher());
            assertEquals(type.signs(), payload.signature() != null, "s present exactly for signing types");
            assertEquals(type == KeyType.RSA || type.postQuantum(), payload.wrappedKey() != null, "k for rsa and ml*");
            assertNull(sent.getBody(), "no plaintext body outside the ciphertext");
            assertNull(sent.getType() == Message.Type.normal ? null : sent.getType(), "outer message has no type");

            Inbound in = bob.decrypt(Fixtures.received(sent, Fixtures.ALICE), aliceSeenByBob);
            Inbound.Accepted accepted = assertInstanceOf(Inbound.Accepted.class, in, () -> type + "/" + cipher + ": " + in);
            Message got = (Message) accepted.stanza();
            assertEquals(original.getBody(), got.getBody());
            assertEquals(Message.Type.chat, got.getType());
            assertEquals(original.getStanzaId(), got.getStanzaId());
            assertEquals(Fixtures.ALICE, got.getFrom());
            assertEquals(Fixtures.BOB, got.getTo());

            Ping ping = new Ping();
            ping.setType(IQ.Type.get);
            ping.setStanzaId("iq-" + cipher);
            ping.setTo(Fixtures.BOB);
            IQ sentIq = alice.encrypt(ping, Fixtures.ALICE, bobSeenByAlice);
            assertInstanceOf(EncryptedIq.class, sentIq);
            assertFalse(sentIq.toXML().toString().contains("urn:xmpp:ping"), "iq payload is encrypted");
            Inbound iqIn = bob.decrypt(Fixtures.received(sentIq, Fixtures.ALICE), aliceSeenByBob);
            IQ gotIq = (IQ) assertInstanceOf(Inbound.Accepted.class, iqIn, iqIn::toString).stanza();
            assertEquals(IQ.Type.get, gotIq.getType());
            assertEquals("iq-" + cipher, gotIq.getStanzaId());
            assertEquals("ping", gotIq.getChildElementName());
            assertEquals("urn:xmpp:ping", gotIq.getChildElementNamespace());
            assertEquals(Fixtures.ALICE, gotIq.getFrom());
        }
    }

    @Test
    void anEmptyResultIqRoundTrips() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("alice", Set.of(KeyType.ED25519), E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("bob", Set.of(KeyType.ED25519), E2ePolicy.DEFAULT);
        IQ result = IQ.createResultIQ(requestFromBob());
        IQ sent = alice.encrypt(result, Fixtures.ALICE, alice.peerKeys(bob.e2eElement()));
        Inbound in = bob.decrypt(Fixtures.received(sent, Fixtures.ALICE), bob.peerKeys(alice.e2eElement()));
        IQ got = (IQ) assertInstanceOf(Inbound.Accepted.class, in, in::toString).stanza();
        assertEquals(IQ.Type.result, got.getType());
        assertEquals("r-1", got.getStanzaId());
    }

    private static IQ requestFromBob() {
        Ping ping = new Ping();
        ping.setType(IQ.Type.get);
        ping.setStanzaId("r-1");
        ping.setFrom(Fixtures.BOB);
        ping.setTo(Fixtures.ALICE);
        return ping;
    }

    @Test
    void theAgreedKeyIsComputedOncePerPeerKey() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("alice", Set.of(KeyType.P256), E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("bob", Set.of(KeyType.P256), E2ePolicy.DEFAULT);
        PeerKeys bobKeys = alice.peerKeys(bob.e2eElement());
        for (int i = 0; i < 5; i++) {
            alice.encrypt(Fixtures.chat("c" + i, "x"), Fixtures.ALICE, bobKeys);
        }
        assertEquals(1, alice.ring().current().key(KeyType.P256).orElseThrow().cachedAgreements());
        assertTrue(alice.stats().snapshot().encrypted() == 5);
    }

    @Test
    void unknownIqPayloadsComeBackUnparsedButIntact() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("alice", Set.of(KeyType.X25519), E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("bob", Set.of(KeyType.X25519), E2ePolicy.DEFAULT);
        UnparsedIQ custom = new UnparsedIQ("query", "urn:example:custom", "<query xmlns='urn:example:custom'><item n='1'>v</item></query>");
        custom.setType(IQ.Type.set);
        custom.setStanzaId("u-1");
        custom.setTo(Fixtures.BOB);
        IQ sent = alice.encrypt(custom, Fixtures.ALICE, alice.peerKeys(bob.e2eElement()));
        IQ got = (IQ) ((Inbound.Accepted) bob.decrypt(Fixtures.received(sent, Fixtures.ALICE), bob.peerKeys(alice.e2eElement()))).stanza();
        assertTrue(((UnparsedIQ) got).getContent().toString().contains("<item n='1'>v</item>")
                || ((UnparsedIQ) got).getContent().toString().contains("<item n=\"1\">v</item>"), got.toXML().toString());
    }

    @Test
    void addressingInsideTheCiphertextCannotOverrideTheOuterStanza() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("addr-alice", Set.of(KeyType.ED25519), E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("addr-bob", Set.of(KeyType.ED25519), E2ePolicy.DEFAULT);
        E2eEndpoint.Choice choice = alice.choose(alice.peerKeys(bob.e2eElement())).orElseThrow();
        byte[] plaintext = "<message to='mallory@example.org/x' from='carol@example.org/y' type='chat'><body>hi</body></message>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        EncryptedElement payload = PayloadSealer.seal(choice.cipher(), choice.ours(), choice.theirs(), 5,
                org.xp2p.e2e.crypto.NonceSeed.of("a-1", "", Fixtures.ALICE.toString(), Fixtures.BOB.toString()),
                Fixtures.ALICE.toString(), plaintext, new DeterministicRandom("addr"));
        Message sent = org.jivesoftware.smack.packet.StanzaBuilder.buildMessage("a-1").to(Fixtures.BOB).addExtension(payload).build();
        Inbound in = bob.decrypt(Fixtures.received(sent, Fixtures.ALICE), bob.peerKeys(alice.e2eElement()));
        Message got = (Message) assertInstanceOf(Inbound.Accepted.class, in, in::toString).stanza();
        assertEquals(Fixtures.BOB, got.getTo());
        assertEquals(Fixtures.ALICE, got.getFrom());
        assertEquals("hi", got.getBody());
    }
}
