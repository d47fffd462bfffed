package org.xp2p.xmpp.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eMode;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.E2eStats;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.EncryptedElement;
import org.xp2p.xmpp.StanzaProtector.Unprotected;

/**
 * A run of stanzas from one peer unprotected together, as a link-local device does with what
 * one link brought: the signatures are checked in one batch, yet each stanza keeps its own
 * fate: a forged signature or a replay refuses that stanza alone, in its place in the run.
 */
class E2eStanzaProtectorRunTest {
    private static final String ALICE = "alice@run";
    private static final String BOB = "bob@run";
    private final SecureRandom random = new SecureRandom();
    private final IdentityKey aliceId = IdentityKey.generate(random);
    private final IdentityKey bobId = IdentityKey.generate(random);
    private E2eEndpoint bobEndpoint;
    private E2eStanzaProtector alice;
    private E2eStanzaProtector bob;

    private E2eEndpoint endpoint() {
        return new E2eEndpoint(new LocalKeyRing(EnumSet.of(KeyType.ED25519), 128, random),
                E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E), random);
    }

    @BeforeEach
    void handshake() throws Exception {
        bobEndpoint = endpoint();
        alice = new E2eStanzaProtector(endpoint(), aliceId, List.of(bobId.publicKey()));
        alice.attach(ALICE);
        bob = new E2eStanzaProtector(bobEndpoint, bobId, List.of(aliceId.publicKey()));
        bob.attach(BOB);
        alice.linkOpened(BOB, iq -> CompletableFuture.completedFuture(bob.answerOwnIq(iq, ALICE))).get(5, TimeUnit.SECONDS);
    }

    /** {@code n} messages sealed by alice for bob, as they arrive (the link stamps {@code from}). */
    private List<Stanza> sealed(int n) throws Exception {
        List<Stanza> run = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Message m = StanzaBuilder.buildMessage("m" + i).to(JidCreate.from(BOB)).ofType(Message.Type.chat)
                    .setBody("message " + i).build();
            Stanza wire = alice.protectInSync(m, BOB).orElseThrow();
            wire.setFrom(JidCreate.from(ALICE));
            run.add(wire);
        }
        return run;
    }

    private static String body(Unprotected u) {
        assertNull(u.refused(), () -> "refused: " + u.refused().getMessage());
        return ((Message) u.stanza()).getBody();
    }

    @Test
    void runKeepsItsOrderAndItsSignaturesAreCheckedInOneBatch() throws Exception {
        E2eStats.Snapshot before = bobEndpoint.stats().snapshot();
        List<Unprotected> out = bob.unprotectAll(sealed(20), ALICE);
        for (int i = 0; i < 20; i++) {
            assertEquals("message " + i, body(out.get(i)));
        }
        E2eStats.Snapshot after = bobEndpoint.stats().snapshot();
        assertEquals(1, after.signatureBatches() - before.signatureBatches());
        assertEquals(20, after.batchedSignatures() - before.batchedSignatures());
    }

    @Test
    void forgedSignatureRefusesThatStanzaOnly() throws Exception {
        List<Stanza> run = sealed(10);
        Stanza forged = run.get(4);
        EncryptedElement genuine = EncryptedElement.in(forged).orElseThrow();
        byte[] signature = genuine.signature();
        signature[7] ^= 0x20;
        forged.removeExtension(genuine);
        forged.addExtension(new EncryptedElement(genuine.cipher(), genuine.keyType(), genuine.counter(),
                genuine.wrappedKey(), signature, genuine.ciphertext()));

        List<Unprotected> out = bob.unprotectAll(run, ALICE);
        for (int i = 0; i < 10; i++) {
            if (i == 4) {
                assertNotNull(out.get(i).refused());
                assertEquals(StanzaError.Condition.forbidden, out.get(i).refused().condition());
                assertTrue(out.get(i).refused().getMessage().contains("BAD_SIGNATURE"), out.get(i).refused().getMessage());
            } else {
                assertEquals("message " + i, body(out.get(i)));
            }
        }
    }

    @Test
    void stanzaReplayedWithinTheRunIsRefusedTheSecondTime() throws Exception {
        List<Stanza> run = sealed(3);
        run.add(run.get(1));
        List<Unprotected> out = bob.unprotectAll(run, ALICE);
        assertEquals("message 1", body(out.get(1)));
        assertEquals("message 2", body(out.get(2)));
        assertTrue(out.get(3).refused().getMessage().contains("REPLAYED"), out.get(3).refused().getMessage());
    }

    @Test
    void runFromAPeerThatProvedNoIdentityIsRefusedWhole() throws Exception {
        List<Unprotected> out = bob.unprotectAll(sealed(3), "carol@run");
        assertEquals(3, out.size());
        for (Unprotected u : out) {
            assertEquals(StanzaError.Condition.forbidden, u.refused().condition());
        }
    }
}
