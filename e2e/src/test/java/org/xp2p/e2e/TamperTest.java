package org.xp2p.e2e;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.smack.EncryptedElement;

/**
 * A bit flipped in the ciphertext, the signature, the counter, the sender's JID, the key
 * type or the wrapped key makes the stanza undecryptable, for each cipher and for
 * agreeing, signing and key-transporting types alike.
 */
class TamperTest {
    /** Both devices hold all of these, so a changed r still names a key both sides have. */
    private static final Set<KeyType> RING = EnumSet.of(KeyType.ED25519, KeyType.X25519, KeyType.P256, KeyType.RSA,
            KeyType.ML128, KeyType.BP256);

    static List<Arguments> cases() {
        return List.of(
                Arguments.of(KeyType.ED25519, SymmetricCipher.AES),
                Arguments.of(KeyType.ED25519, SymmetricCipher.CHA),
                Arguments.of(KeyType.X25519, SymmetricCipher.ACP),
                Arguments.of(KeyType.P256, SymmetricCipher.CHA),
                Arguments.of(KeyType.BP256, SymmetricCipher.ACP),
                Arguments.of(KeyType.RSA, SymmetricCipher.AES),
                Arguments.of(KeyType.ML128, SymmetricCipher.CHA));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyAlteredPartIsRejected(KeyType type, SymmetricCipher cipher) throws Exception {
        E2ePolicy policy = Fixtures.anyStrength(type, cipher);
        E2eEndpoint alice = Fixtures.endpoint("tamper-alice", RING, policy);
        E2eEndpoint bob = Fixtures.endpoint("tamper-bob", RING, policy);
        PeerKeys aliceKeys = bob.peerKeys(alice.e2eElement());
        PeerKeys bobKeys = alice.peerKeys(bob.e2eElement());

        Message sent = alice.encrypt(Fixtures.chat("t-1", "transfer 100 to Mallory"), Fixtures.ALICE, bobKeys);
        EncryptedElement e = EncryptedElement.in(sent).orElseThrow();

        assertRejected(bob, aliceKeys, withPayload(sent, new EncryptedElement(e.cipher(), e.keyType(), e.counter(),
                e.wrappedKey(), e.signature(), flip(e.ciphertext()))), Fixtures.ALICE, "ciphertext");
        if (e.signature() != null) {
            assertRejected(bob, aliceKeys, withPayload(sent, new EncryptedElement(e.cipher(), e.keyType(), e.counter(),
                    e.wrappedKey(), flip(e.signature()), e.ciphertext())), Fixtures.ALICE, "signature");
        }
        assertRejected(bob, aliceKeys, withPayload(sent, new EncryptedElement(e.cipher(), e.keyType(), e.counter() ^ 1,
                e.wrappedKey(), e.signature(), e.ciphertext())), Fixtures.ALICE, "counter");
        assertRejected(bob, aliceKeys, withPayload(sent, e), Fixtures.jid("alice@example.org/laptoq"), "from");
        KeyType otherType = type == KeyType.P256 ? KeyType.BP256 : KeyType.P256;
        assertRejected(bob, aliceKeys, withPayload(sent, new EncryptedElement(e.cipher(), otherType, e.counter(),
                e.wrappedKey(), e.signature(), e.ciphertext())), Fixtures.ALICE, "r");
        if (e.wrappedKey() != null) {
            assertRejected(bob, aliceKeys, withPayload(sent, new EncryptedElement(e.cipher(), e.keyType(), e.counter(),
                    flip(e.wrappedKey()), e.signature(), e.ciphertext())), Fixtures.ALICE, "k");
        }
        // And the untouched stanza still goes through: the rejections above were the tampering.
        assertInstanceOf(Inbound.Accepted.class, bob.decrypt(Fixtures.received(sent, Fixtures.ALICE), aliceKeys));
    }

    @org.junit.jupiter.api.Test
    void plaintextInjectedBesideTheCiphertextIsNotDelivered() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("inject-alice", RING, E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("inject-bob", RING, E2ePolicy.DEFAULT);
        Message sent = alice.encrypt(Fixtures.chat("i-1", "genuine"), Fixtures.ALICE, alice.peerKeys(bob.e2eElement()));
        String xml = sent.toXML().toString().replace("</message>", "<body>injected</body><subject>x</subject></message>");
        Message wire = org.jivesoftware.smack.util.PacketParserUtils.parseStanza(xml);
        wire.setFrom(Fixtures.ALICE);
        Inbound in = bob.decrypt(wire, bob.peerKeys(alice.e2eElement()));
        Message got = (Message) assertInstanceOf(Inbound.Accepted.class, in, in::toString).stanza();
        org.junit.jupiter.api.Assertions.assertEquals("genuine", got.getBody());
        org.junit.jupiter.api.Assertions.assertNull(got.getSubject(), "nothing outside the ciphertext is delivered");
    }

    private static void assertRejected(E2eEndpoint bob, PeerKeys aliceKeys, Message tampered,
                                       org.jxmpp.jid.EntityFullJid from, String what) {
        Inbound in = bob.decrypt(Fixtures.received(tampered, from), aliceKeys);
        Inbound.Rejected rejected = assertInstanceOf(Inbound.Rejected.class, in, () -> "altered " + what + " was accepted");
        assertTrue(rejected.reason() == RejectReason.UNDECRYPTABLE || rejected.reason() == RejectReason.UNKNOWN_SENDER_KEY,
                what + ": " + rejected);
    }

    private static Message withPayload(Message sent, EncryptedElement payload) {
        return StanzaBuilder.buildMessage(sent.getStanzaId()).to(sent.getTo()).addExtension(payload).build();
    }

    private static byte[] flip(byte[] octets) {
        byte[] copy = octets.clone();
        copy[copy.length / 2] ^= 0x10;
        return copy;
    }
}
