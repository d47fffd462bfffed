package org.xp2p.xmpp.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jivesoftware.smack.packet.IQ;
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
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.IdentityProofIq;
import org.xp2p.schemas.smack.SynchE2eIq;
import org.xp2p.xmpp.StanzaRejectedException;

/**
 * Key re-synchronisation between two real protectors whose iqs are handed to each other
 * directly (the link between them is the device's business, tested on loopback in
 * {@code KeyRotationOnOpenLinkTest}): after a rotation, sealing waits for a re-sync, and
 * a re-sync counts only when proven by the identity key that secured the link and, for a
 * bound name, over the keys the binding expects; a refused one leaves the proven keys in force.
 */
class E2eStanzaProtectorResyncTest {
    private static final String ALICE = "alice@resync";
    private static final String BOB = "bob@resync";
    private final SecureRandom random = new SecureRandom();
    private final IdentityKey aliceId = IdentityKey.generate(random);
    private final IdentityKey bobId = IdentityKey.generate(random);
    /** Also on alice's allow-list, but not the key that secured bob's link. */
    private final IdentityKey otherId = IdentityKey.generate(random);
    private E2eEndpoint aliceEndpoint;
    private E2eEndpoint bobEndpoint;
    private E2eStanzaProtector alice;
    private E2eStanzaProtector bob;

    private E2eEndpoint endpoint() {
        return new E2eEndpoint(new LocalKeyRing(EnumSet.of(KeyType.ED25519, KeyType.P256), 128, random),
                E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E), random);
    }

    private E2eStanzaProtector protector(E2eEndpoint endpoint, IdentityKey me, String name, IdentityKey... allowed) {
        E2eStanzaProtector p = new E2eStanzaProtector(endpoint, me, java.util.Arrays.stream(allowed)
                .map(IdentityKey::publicKey).toList());
        p.attach(name);
        return p;
    }

    /** Iqs from {@code fromName} answered by {@code to} on a link that already carries a proven identity. */
    private static Function<IQ, CompletableFuture<IQ>> securedLinkTo(E2eStanzaProtector to, String fromName) {
        return iq -> CompletableFuture.completedFuture(to.answerOnSecuredLink(iq, fromName));
    }

    @BeforeEach
    void handshake() throws Exception {
        aliceEndpoint = endpoint();
        bobEndpoint = endpoint();
        alice = protector(aliceEndpoint, aliceId, ALICE, bobId, otherId);
        bob = protector(bobEndpoint, bobId, BOB, aliceId);
        // the link opens: bob dials, alice answers as on a fresh link
        bob.linkOpened(ALICE, iq -> CompletableFuture.completedFuture(alice.answerOwnIq(iq, BOB))).get(5, TimeUnit.SECONDS);
        assertTrue(alice.inSync(BOB) && bob.inSync(ALICE));
    }

    private static Message chat(String to, String body) throws Exception {
        return StanzaBuilder.buildMessage("m" + System.nanoTime()).to(JidCreate.from(to)).ofType(Message.Type.chat)
                .setBody(body).build();
    }

    /** {@code s} as it arrives from {@code sender}: the link stamps the stream's {@code from}. */
    private static Stanza sent(Stanza s, String sender) throws Exception {
        s.setFrom(JidCreate.from(sender));
        return s;
    }

    private static String body(Stanza s) {
        return ((Message) s).getBody();
    }

    @Test
    void afterOurRotationSealingWaitsForAResyncAndBothSidesThenUseTheNewKeys() throws Exception {
        Message before = chat(BOB, "sealed before the rotation");
        Stanza old = alice.protectInSync(before, BOB).orElseThrow();
        aliceEndpoint.ring().rotate();
        assertFalse(alice.inSync(BOB));
        assertEquals(Optional.empty(), alice.protectInSync(chat(BOB, "not yet"), BOB),
                "bob does not hold alice's new keys yet");

        alice.resync(BOB, securedLinkTo(bob, ALICE)).get(5, TimeUnit.SECONDS);
        assertTrue(alice.inSync(BOB));
        Stanza fresh = alice.protectInSync(chat(BOB, "sealed after the re-sync"), BOB).orElseThrow();
        assertEquals("sealed after the re-sync", body(bob.unprotect(sent(fresh, ALICE), ALICE)));
        // still in flight from before: signed by alice's previous keys, which bob still trusts
        assertEquals("sealed before the rotation", body(bob.unprotect(sent(old, ALICE), ALICE)));
        // bob's stanzas are sealed to alice's new keys; her ring also opens the previous generation
        assertEquals("to alice", body(alice.unprotect(sent(bob.protectInSync(chat(ALICE, "to alice"), ALICE).orElseThrow(), BOB), BOB)));

        aliceEndpoint.ring().rotate();
        alice.resync(BOB, securedLinkTo(bob, ALICE)).get(5, TimeUnit.SECONDS);
        assertEquals(3, aliceEndpoint.ring().current().number());
        assertEquals(2, aliceEndpoint.ring().previous().orElseThrow().number(), "generation 1 is gone");
        assertEquals("after two", body(alice.unprotect(sent(bob.protect(chat(ALICE, "after two"), ALICE), BOB), BOB)));
        assertEquals("and back", body(bob.unprotect(sent(alice.protectInSync(chat(BOB, "and back"), BOB).orElseThrow(), ALICE), ALICE)));
    }

    @Test
    void resyncProvenByAnotherAllowedIdentityIsRefusedAndTheProvenKeysStay() throws Exception {
        long refusedBefore = alice.identityRefusals();
        // someone on bob's link, holding another key alice allows, offers new keys for bob's name
        E2eStanzaProtector impostor = protector(endpoint(), otherId, BOB, aliceId);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> impostor.resync(ALICE, securedLinkTo(alice, BOB)).get(5, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("another identity key than the one that secured this link"), e.getMessage());
        assertEquals(refusedBefore + 1, alice.identityRefusals());
        assertTrue(alice.verified(BOB));
        // alice still seals to bob's proven keys: bob, not the impostor, opens them
        Stanza toBob = alice.protect(chat(BOB, "still for bob"), BOB);
        assertEquals("still for bob", body(bob.unprotect(sent(toBob, ALICE), ALICE)));
        assertThrows(StanzaRejectedException.class, () -> impostor.unprotect(sent(toBob, ALICE), ALICE));

        // on a fresh link (not a re-sync) the allow-list alone decides, as before
        impostor.linkOpened(ALICE, iq -> CompletableFuture.completedFuture(alice.answerOwnIq(iq, BOB)))
                .get(5, TimeUnit.SECONDS);
        assertTrue(alice.verified(BOB));
    }

    @Test
    void ourResyncAnsweredByAnotherIdentityIsRefusedByUs() throws Exception {
        E2eStanzaProtector impostor = protector(endpoint(), otherId, BOB, aliceId);
        aliceEndpoint.ring().rotate();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> alice.resync(BOB, iq -> CompletableFuture.completedFuture(impostor.answerOwnIq(iq, ALICE)))
                        .get(5, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("another identity key than the one that secured this link"), e.getMessage());
        assertFalse(alice.inSync(BOB));
        // bob's proven keys are still the ones alice verifies him with
        assertEquals("bob again", body(alice.unprotect(sent(bob.protect(chat(ALICE, "bob again"), ALICE), BOB), BOB)));
    }

    @Test
    void proofOverOtherKeysThanTheSynchE2eIsForbidden() throws Exception {
        E2eElement claimed = protector(endpoint(), bobId, BOB).ourKeys();
        SynchE2eIq synch = new SynchE2eIq(claimed, null);
        synch.setTo(JidCreate.from(ALICE));
        IQ answer = alice.answerOnSecuredLink(synch, BOB);
        assertInstanceOf(SynchE2eIq.class, answer);
        assertEquals(IQ.Type.result, answer.getType());
        // bob's genuine identity key, but signing his current keys, not the claimed ones
        IdentityProofIq proof = IdentityProof.create(bobId, BOB, ALICE, bob.ourKeys());
        proof.setTo(JidCreate.from(ALICE));
        IQ refused = alice.answerOnSecuredLink(proof, BOB);
        assertEquals(IQ.Type.error, refused.getType());
        assertEquals(StanzaError.Condition.forbidden, refused.getError().getCondition());
        assertTrue(refused.getError().getDescriptiveText().contains("does not verify"), refused.toXML().toString());
        // a proof without a synchE2e before it is refused too
        assertEquals(StanzaError.Condition.forbidden, alice.answerOnSecuredLink(proof, BOB).getError().getCondition());
        assertEquals("unchanged", body(alice.unprotect(sent(bob.protect(chat(ALICE, "unchanged"), ALICE), BOB), BOB)));
    }

    @Test
    void resyncToKeysTheBindingDoesNotExpectIsRefusedUntilTheyMatch() throws Exception {
        // as a DHT contact's signed record does: only the keys it lists may be proven for the name
        E2eElement[] recorded = {bob.ourKeys()};
        alice.bind((peer, key, presented) -> presented.equals(recorded[0]) ? Optional.empty()
                : Optional.of("the E2E keys " + peer + " sent in synchE2e are not those of its signed DHT record"));
        bobEndpoint.ring().rotate();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> bob.resync(ALICE, securedLinkTo(alice, BOB)).get(5, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("not those of its signed DHT record"), e.getMessage());
        assertFalse(bob.inSync(ALICE));
        assertEquals(Optional.empty(), bob.protectInSync(chat(ALICE, "held back"), ALICE));

        recorded[0] = bob.ourKeys(); // bob's record now carries his new keys
        bob.resync(ALICE, securedLinkTo(alice, BOB)).get(5, TimeUnit.SECONDS);
        assertTrue(bob.inSync(ALICE));
        assertEquals("new keys", body(alice.unprotect(sent(bob.protectInSync(chat(ALICE, "new keys"), ALICE).orElseThrow(), BOB), BOB)));
    }

    @Test
    void bothSidesResyncingAtOnceEndWithEachOthersNewKeys() throws Exception {
        aliceEndpoint.ring().rotate();
        bobEndpoint.ring().rotate();
        // interleaved: each answers the other's synchE2e before its own exchange finishes
        CompletableFuture<IQ> aliceWaits = new CompletableFuture<>();
        CompletableFuture<Void> aliceDone = alice.resync(BOB, iq -> iq instanceof SynchE2eIq
                ? CompletableFuture.completedFuture(bob.answerOnSecuredLink(iq, ALICE))
                : aliceWaits.thenApply(x -> bob.answerOnSecuredLink(iq, ALICE)));
        bob.resync(ALICE, securedLinkTo(alice, BOB)).get(5, TimeUnit.SECONDS);
        aliceWaits.complete(null);
        aliceDone.get(5, TimeUnit.SECONDS);
        assertTrue(alice.inSync(BOB) && bob.inSync(ALICE));
        assertEquals("a", body(bob.unprotect(sent(alice.protectInSync(chat(BOB, "a"), BOB).orElseThrow(), ALICE), ALICE)));
        assertEquals("b", body(alice.unprotect(sent(bob.protectInSync(chat(ALICE, "b"), ALICE).orElseThrow(), BOB), BOB)));
        assertEquals(List.of(2L, 2L), List.of(aliceEndpoint.ring().current().number(),
                bobEndpoint.ring().current().number()));
    }
}
