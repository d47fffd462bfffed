package org.xp2p.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.EncryptedElement;

/** The policy holds in both directions: a peer cannot talk us below it. */
class PolicyTest {

    @Test
    void keysBelowTheMinimumStrengthAreIgnored() {
        // RSA at 2048 bits rates 112: below the default 128 as well.
        E2eEndpoint weak = Fixtures.endpoint("weak", EnumSet.of(KeyType.P192, KeyType.BP160, KeyType.P256, KeyType.RSA),
                E2ePolicy.DEFAULT.withMinSecurityBits(0));
        E2eEndpoint strict = Fixtures.endpoint("strict", EnumSet.of(KeyType.P256), E2ePolicy.DEFAULT);
        E2eElement published = weak.e2eElement();
        assertEquals(4, published.keys().size());
        assertEquals(112, published.key(KeyType.RSA).orElseThrow().securityBits());
        assertEquals(Set.of(KeyType.P256), strict.peerKeys(published).types());
        assertEquals(Set.of(KeyType.P256), strict.e2eElement().keys().stream().map(k -> k.type()).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void withoutACommonKeyEncryptIfPossibleSendsPlaintextAndRequireRefuses() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("np-alice", EnumSet.of(KeyType.ED25519), E2ePolicy.DEFAULT);
        E2eEndpoint weakBob = Fixtures.endpoint("np-bob", EnumSet.of(KeyType.P192), E2ePolicy.DEFAULT.withMinSecurityBits(0));
        PeerKeys bobKeys = alice.peerKeys(weakBob.e2eElement());
        Message m = Fixtures.chat("np-1", "hi");
        assertSame(m, alice.encrypt(m, Fixtures.ALICE, bobKeys));

        E2eEndpoint strictAlice = Fixtures.endpoint("np-alice", EnumSet.of(KeyType.ED25519), E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E));
        E2eException e = assertThrows(E2eException.class, () -> strictAlice.encrypt(m, Fixtures.ALICE, bobKeys));
        assertTrue(e.getMessage().contains("REQUIRE_E2E"), e.getMessage());
    }

    @Test
    void plaintextFromAPeerWithSharedKeysIsADowngradeAndRefused() {
        E2eEndpoint alice = Fixtures.endpoint("dg-alice", EnumSet.of(KeyType.ED25519), E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("dg-bob", EnumSet.of(KeyType.ED25519), E2ePolicy.DEFAULT);
        Message plain = Fixtures.chat("dg-1", "plaintext");
        Inbound in = bob.decrypt(Fixtures.received(plain, Fixtures.ALICE), bob.peerKeys(alice.e2eElement()));
        assertEquals(RejectReason.PLAINTEXT_REFUSED, assertInstanceOf(Inbound.Rejected.class, in).reason());
        // A peer without keys may still talk in plaintext under encrypt-if-possible ...
        assertInstanceOf(Inbound.Accepted.class, bob.decrypt(Fixtures.received(plain, Fixtures.ALICE), PeerKeys.none()));
        // ... but not under require-E2E.
        E2eEndpoint strictBob = Fixtures.endpoint("dg-bob", EnumSet.of(KeyType.ED25519), E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E));
        assertInstanceOf(Inbound.Rejected.class, strictBob.decrypt(Fixtures.received(plain, Fixtures.ALICE), PeerKeys.none()));
    }

    @Test
    void requirePostQuantumSendsMlAndRejectsClassicalStanzas() throws Exception {
        Set<KeyType> both = EnumSet.of(KeyType.ED25519, KeyType.ML192);
        E2ePolicy pq = E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_POST_QUANTUM);
        E2eEndpoint alice = Fixtures.endpoint("pq-alice", both, E2ePolicy.DEFAULT);
        E2eEndpoint pqBob = Fixtures.endpoint("pq-bob", both, pq);
        assertEquals(Set.of(KeyType.ML192), pqBob.peerKeys(alice.e2eElement()).types());
        Message toAlice = pqBob.encrypt(Fixtures.chat("pq-1", "quantum-safe"), Fixtures.BOB, pqBob.peerKeys(alice.e2eElement()));
        assertEquals(KeyType.ML192, EncryptedElement.in(toAlice).orElseThrow().keyType());

        // Bob's pq policy publishes only ml192. The same keys under a classical policy also
        // publish ed25519, which Alice prefers: a stanza under it is below Bob's policy.
        E2eEndpoint bobClassical = Fixtures.endpoint("pq-bob", both, E2ePolicy.DEFAULT);
        Message classical = alice.encrypt(Fixtures.chat("pq-2", "classical"), Fixtures.ALICE,
                alice.peerKeys(bobClassical.e2eElement()));
        assertEquals(KeyType.ED25519, EncryptedElement.in(classical).orElseThrow().keyType());
        Inbound in = pqBob.decrypt(Fixtures.received(classical, Fixtures.ALICE), pqBob.peerKeys(alice.e2eElement()));
        assertEquals(RejectReason.BELOW_POLICY, assertInstanceOf(Inbound.Rejected.class, in).reason());
    }

    @Test
    void aesUnderX25519IsRefusedUnlessThePolicyWaivesIntegrity() throws Exception {
        E2ePolicy lax = Fixtures.anyStrength(KeyType.X25519, SymmetricCipher.AES).withUnauthenticatedCiphers(true);
        E2eEndpoint laxAlice = Fixtures.endpoint("u-alice", EnumSet.of(KeyType.X25519), lax);
        E2eEndpoint bob = Fixtures.endpoint("u-bob", EnumSet.of(KeyType.X25519), E2ePolicy.DEFAULT);
        Message sent = laxAlice.encrypt(Fixtures.chat("u-1", "no integrity"), Fixtures.ALICE, laxAlice.peerKeys(bob.e2eElement()));
        assertEquals(SymmetricCipher.AES, EncryptedElement.in(sent).orElseThrow().cipher());
        Inbound in = bob.decrypt(Fixtures.received(sent, Fixtures.ALICE), bob.peerKeys(laxAlice.e2eElement()));
        assertEquals(RejectReason.UNAUTHENTICATED_CIPHER, assertInstanceOf(Inbound.Rejected.class, in).reason());

        // Our own choice never picks it: x25519 with aes only on offer leaves no cipher.
        E2eEndpoint strictAlice = Fixtures.endpoint("u-alice", EnumSet.of(KeyType.X25519),
                E2ePolicy.DEFAULT.withPreferredCiphers(List.of(SymmetricCipher.AES)));
        assertTrue(strictAlice.choose(strictAlice.peerKeys(bob.e2eElement())).isEmpty());
    }

    @Test
    void theCipherFollowsWhatThePeerAccepts() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("c-alice", EnumSet.of(KeyType.ED25519), E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("c-bob", EnumSet.of(KeyType.ED25519), E2ePolicy.DEFAULT);
        E2eElement chaOnly = new E2eElement(false, true, false, bob.e2eElement().keys());
        Message sent = alice.encrypt(Fixtures.chat("c-1", "x"), Fixtures.ALICE, alice.peerKeys(chaOnly));
        assertEquals(SymmetricCipher.CHA, EncryptedElement.in(sent).orElseThrow().cipher());
    }

    @Test
    void aStanzaUnderAWeakTypeIsBelowPolicyEvenFromAPeerThatPublishesIt() throws Exception {
        E2eEndpoint weakAlice = Fixtures.endpoint("w-alice", EnumSet.of(KeyType.P192), Fixtures.anyStrength(KeyType.P192, SymmetricCipher.ACP));
        E2eEndpoint laxBob = Fixtures.endpoint("w-bob", EnumSet.of(KeyType.P192), Fixtures.anyStrength(KeyType.P192, SymmetricCipher.ACP));
        E2eEndpoint strictBob = Fixtures.endpoint("w-bob", EnumSet.of(KeyType.P192), E2ePolicy.DEFAULT);
        Message sent = weakAlice.encrypt(Fixtures.chat("w-1", "weak"), Fixtures.ALICE, weakAlice.peerKeys(laxBob.e2eElement()));
        Inbound in = strictBob.decrypt(Fixtures.received(sent, Fixtures.ALICE), laxBob.peerKeys(weakAlice.e2eElement()));
        assertEquals(RejectReason.BELOW_POLICY, assertInstanceOf(Inbound.Rejected.class, in).reason());
    }

    @Test
    void cipherFlagsFollowThePolicyAndOtherCiphersAreRefused() throws Exception {
        E2ePolicy acpOnly = E2ePolicy.DEFAULT.withPreferredCiphers(List.of(SymmetricCipher.ACP));
        E2eEndpoint bob = Fixtures.endpoint("f-bob", EnumSet.of(KeyType.ED25519), acpOnly);
        E2eElement published = bob.e2eElement();
        assertTrue(published.acp() && !published.aes() && !published.cha(), published.toXML().toString());

        E2eEndpoint alice = Fixtures.endpoint("f-alice", EnumSet.of(KeyType.ED25519),
                E2ePolicy.DEFAULT.withPreferredCiphers(List.of(SymmetricCipher.AES)));
        E2eElement claimsAll = new E2eElement(true, true, true, published.keys());
        Message sent = alice.encrypt(Fixtures.chat("f-1", "aes"), Fixtures.ALICE, alice.peerKeys(claimsAll));
        Inbound in = bob.decrypt(Fixtures.received(sent, Fixtures.ALICE), bob.peerKeys(alice.e2eElement()));
        assertEquals(RejectReason.BELOW_POLICY, assertInstanceOf(Inbound.Rejected.class, in).reason());
    }
}
