package org.xp2p.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.smack.EncryptedElement;

/**
 * Ed25519 signatures under acp checked many at once ({@link E2eEndpoint#decryptDeferringSignature}
 * and {@link E2eEndpoint#verifySignatures}): a stanza counts only once its signature verified,
 * a forged one in a batch is rejected alone, and its counter stays unspent for the genuine stanza.
 */
class DeferredSignatureTest {
    private static final Set<KeyType> RING = EnumSet.of(KeyType.ED25519, KeyType.X25519);

    private final E2ePolicy policy = Fixtures.anyStrength(KeyType.ED25519, SymmetricCipher.ACP);
    private final E2eEndpoint alice = Fixtures.endpoint("batch-alice", RING, policy);
    private final E2eEndpoint bob = Fixtures.endpoint("batch-bob", RING, policy);
    private final PeerKeys aliceKeys = bob.peerKeys(alice.e2eElement());
    private final PeerKeys bobKeys = alice.peerKeys(bob.e2eElement());

    @Test
    void aBatchOfGenuineStanzasIsAcceptedOnceItsSignaturesVerify() throws Exception {
        List<PendingInbound> pending = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pending.add(bob.decryptDeferringSignature(received(sent("b-" + i, "reading " + i)), aliceKeys));
        }
        assertTrue(pending.stream().allMatch(PendingInbound::awaitsSignature), "ed25519 under acp waits for its batch");
        assertEquals(0, bob.stats().snapshot().decrypted(), "nothing counts before its signature verified");

        bob.verifySignatures(pending);

        for (int i = 0; i < 20; i++) {
            assertFalse(pending.get(i).awaitsSignature());
            Inbound in = pending.get(i).result();
            Message m = (Message) assertInstanceOf(Inbound.Accepted.class, in, in::toString).stanza();
            assertEquals("reading " + i, m.getBody());
        }
        assertEquals(20, bob.stats().snapshot().decrypted());
        assertEquals(1, bob.stats().snapshot().signatureBatches());
        assertEquals(20, bob.stats().snapshot().batchedSignatures());
    }

    @Test
    void aForgedSignatureInABatchRejectsThatStanzaAndLeavesItsCounterToTheGenuineOne() throws Exception {
        List<Message> sent = new ArrayList<>();
        List<PendingInbound> pending = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(sent("f-" + i, "command " + i));
            Message wire = i == 4 ? withSignatureFlipped(sent.get(i)) : sent.get(i);
            pending.add(bob.decryptDeferringSignature(received(wire), aliceKeys));
        }
        bob.verifySignatures(pending);

        for (int i = 0; i < 10; i++) {
            Inbound in = pending.get(i).result();
            if (i == 4) {
                Inbound.Rejected rejected = assertInstanceOf(Inbound.Rejected.class, in, "forged signature accepted");
                assertEquals(RejectReason.BAD_SIGNATURE, rejected.reason());
                assertTrue(rejected.detail().contains("signature does not verify"), rejected.detail());
            } else {
                assertInstanceOf(Inbound.Accepted.class, in, in::toString);
            }
        }
        Inbound genuine = bob.decrypt(received(sent.get(4)), aliceKeys);
        assertInstanceOf(Inbound.Accepted.class, genuine, "the forgery must not spend the genuine stanza's counter");
    }

    @Test
    void theCounterIsRecordedOnlyWhenTheSignatureVerified() throws Exception {
        Message m = sent("c-1", "open the gate");
        PendingInbound first = bob.decryptDeferringSignature(received(m), aliceKeys);
        // The same stanza again, checked at once: its counter is still unspent.
        assertInstanceOf(Inbound.Accepted.class, bob.decrypt(received(m), aliceKeys));
        Inbound late = first.result();
        Inbound.Rejected replay = assertInstanceOf(Inbound.Rejected.class, late, "one counter was accepted twice");
        assertEquals(RejectReason.REPLAYED, replay.reason());
    }

    @Test
    void aStanzaTwiceInOneBatchIsAcceptedOnce() throws Exception {
        Message m = sent("r-1", "pay once");
        List<PendingInbound> pending = List.of(bob.decryptDeferringSignature(received(m), aliceKeys),
                bob.decryptDeferringSignature(received(m), aliceKeys));
        bob.verifySignatures(pending);
        assertInstanceOf(Inbound.Accepted.class, pending.get(0).result());
        assertEquals(RejectReason.REPLAYED, assertInstanceOf(Inbound.Rejected.class, pending.get(1).result()).reason());
    }

    @Test
    void withoutABatchTheResultChecksTheSignatureAlone() throws Exception {
        PendingInbound genuine = bob.decryptDeferringSignature(received(sent("s-1", "alone")), aliceKeys);
        PendingInbound forged = bob.decryptDeferringSignature(received(withSignatureFlipped(sent("s-2", "x"))), aliceKeys);
        assertInstanceOf(Inbound.Accepted.class, genuine.result());
        assertEquals(RejectReason.BAD_SIGNATURE, assertInstanceOf(Inbound.Rejected.class, forged.result()).reason());
    }

    @Test
    void whereTheSignaturePicksTheKeysOrThereIsNoneNothingWaits() throws Exception {
        // Under cha only the signature shows which pair of keys decrypted the stanza.
        E2ePolicy cha = Fixtures.anyStrength(KeyType.ED25519, SymmetricCipher.CHA);
        E2eEndpoint a = Fixtures.endpoint("cha-alice", RING, cha);
        E2eEndpoint b = Fixtures.endpoint("cha-bob", RING, cha);
        Message m = a.encrypt(Fixtures.chat("n-1", "now"), Fixtures.ALICE, a.peerKeys(b.e2eElement()));
        PendingInbound p = b.decryptDeferringSignature(received(m), b.peerKeys(a.e2eElement()));
        assertFalse(p.awaitsSignature());
        assertInstanceOf(Inbound.Accepted.class, p.result());

        E2ePolicy x = Fixtures.anyStrength(KeyType.X25519, SymmetricCipher.ACP);
        E2eEndpoint xa = Fixtures.endpoint("x-alice", RING, x);
        E2eEndpoint xb = Fixtures.endpoint("x-bob", RING, x);
        Message xm = xa.encrypt(Fixtures.chat("n-2", "now"), Fixtures.ALICE, xa.peerKeys(xb.e2eElement()));
        PendingInbound xp = xb.decryptDeferringSignature(received(xm), xb.peerKeys(xa.e2eElement()));
        assertFalse(xp.awaitsSignature(), "x25519 signs nothing");
        assertInstanceOf(Inbound.Accepted.class, xp.result());
    }

    private Message sent(String id, String body) throws E2eException {
        return alice.encrypt(Fixtures.chat(id, body), Fixtures.ALICE, bobKeys);
    }

    private static Message received(Message sent) {
        return Fixtures.received(sent, Fixtures.ALICE);
    }

    private static Message withSignatureFlipped(Message sent) {
        EncryptedElement e = EncryptedElement.in(sent).orElseThrow();
        byte[] s = e.signature().clone();
        s[40] ^= 0x01; // in S
        return StanzaBuilder.buildMessage(sent.getStanzaId()).to(sent.getTo()).addExtension(new EncryptedElement(
                e.cipher(), e.keyType(), e.counter(), e.wrappedKey(), s, e.ciphertext())).build();
    }
}
