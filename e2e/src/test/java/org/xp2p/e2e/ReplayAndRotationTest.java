package org.xp2p.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.KeyType;

/** Replays are refused; our previous key generation still decrypts; the one before it does not. */
class ReplayAndRotationTest {
    private static final Set<KeyType> TYPES = EnumSet.of(KeyType.ED25519, KeyType.X25519);

    @Test
    void aReplayedStanzaIsRejectedAndCounted() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("r-alice", TYPES, E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("r-bob", TYPES, E2ePolicy.DEFAULT);
        PeerKeys aliceKeys = bob.peerKeys(alice.e2eElement());
        Message sent = alice.encrypt(Fixtures.chat("r-1", "pay 5"), Fixtures.ALICE, alice.peerKeys(bob.e2eElement()));
        assertInstanceOf(Inbound.Accepted.class, bob.decrypt(Fixtures.received(sent, Fixtures.ALICE), aliceKeys));
        Inbound again = bob.decrypt(Fixtures.received(sent, Fixtures.ALICE), aliceKeys);
        assertEquals(RejectReason.REPLAYED, assertInstanceOf(Inbound.Rejected.class, again).reason());
        E2eStats.Snapshot stats = bob.stats().snapshot();
        assertEquals(1, stats.rejected(RejectReason.REPLAYED));
        assertEquals(1, stats.droppedMessages());
    }

    @Test
    void countersArePerLocalKeyAndIncrease() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("c-alice", TYPES, E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("c-bob", TYPES, E2ePolicy.DEFAULT);
        E2eEndpoint carol = Fixtures.endpoint("c-carol", TYPES, E2ePolicy.DEFAULT);
        long c1 = counter(alice.encrypt(Fixtures.chat("a", "x"), Fixtures.ALICE, alice.peerKeys(bob.e2eElement())));
        long c2 = counter(alice.encrypt(Fixtures.chat("b", "x"), Fixtures.ALICE, alice.peerKeys(carol.e2eElement())));
        assertEquals(c1 + 1, c2, "one counter per local key, whoever the recipient");
    }

    private static long counter(Message m) {
        return org.xp2p.schemas.smack.EncryptedElement.in(m).orElseThrow().counter();
    }

    @Test
    void previousGenerationStillDecryptsAndTheOneBeforeIsRejectedWithAReason() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("g-alice", TYPES, E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("g-bob", TYPES, E2ePolicy.DEFAULT);
        PeerKeys aliceKeys = bob.peerKeys(alice.e2eElement());
        PeerKeys bobGen1 = alice.peerKeys(bob.e2eElement()); // Alice has not seen Bob rotate
        Message first = alice.encrypt(Fixtures.chat("g-1", "one"), Fixtures.ALICE, bobGen1);
        Message second = alice.encrypt(Fixtures.chat("g-2", "two"), Fixtures.ALICE, bobGen1);

        bob.ring().rotate();
        Inbound in = bob.decrypt(Fixtures.received(first, Fixtures.ALICE), aliceKeys);
        Inbound.Accepted accepted = assertInstanceOf(Inbound.Accepted.class, in, in::toString);
        assertEquals(1, accepted.protection().orElseThrow().ourGeneration());
        assertEquals(2, bob.ring().current().number());

        bob.ring().rotate();
        Inbound stale = bob.decrypt(Fixtures.received(second, Fixtures.ALICE), aliceKeys);
        Inbound.Rejected rejected = assertInstanceOf(Inbound.Rejected.class, stale);
        assertEquals(RejectReason.UNDECRYPTABLE, rejected.reason());
        assertTrue(rejected.detail().contains("older generation"), rejected.detail());
        assertTrue(rejected.detail().contains("[3, 2]"), rejected.detail());
    }

    @Test
    void aPeersRotationIsFollowedAndItsPreviousKeysStillVerify() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("p-alice", TYPES, E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("p-bob", TYPES, E2ePolicy.DEFAULT);
        PeerKeys bobKeys = alice.peerKeys(bob.e2eElement());
        PeerKeys aliceOld = bob.peerKeys(alice.e2eElement());
        Message beforeRotation = alice.encrypt(Fixtures.chat("p-1", "old key"), Fixtures.ALICE, bobKeys);

        alice.ring().rotate();
        Message afterRotation = alice.encrypt(Fixtures.chat("p-2", "new key"), Fixtures.ALICE, bobKeys);
        assertEquals(RejectReason.UNDECRYPTABLE, assertInstanceOf(Inbound.Rejected.class,
                bob.decrypt(Fixtures.received(afterRotation, Fixtures.ALICE), aliceOld)).reason(),
                "until Bob sees Alice's new presence, her new key is unknown");

        PeerKeys aliceNew = aliceOld.rotatedTo(alice.e2eElement(), bob.policy());
        assertInstanceOf(Inbound.Accepted.class, bob.decrypt(Fixtures.received(beforeRotation, Fixtures.ALICE), aliceNew));
        Message retried = alice.encrypt(Fixtures.chat("p-3", "new key"), Fixtures.ALICE, bobKeys);
        assertInstanceOf(Inbound.Accepted.class, bob.decrypt(Fixtures.received(retried, Fixtures.ALICE), aliceNew));
    }

    @Test
    void rotationPublishesNewKeysAndNotifiesListeners() {
        LocalKeyRing ring = new LocalKeyRing(TYPES, 128, new DeterministicRandom("listener"));
        var seen = new java.util.ArrayList<Long>();
        ring.addRotationListener(g -> seen.add(g.number()));
        var before = ring.e2eElement(EnumSet.allOf(org.xp2p.schemas.SymmetricCipher.class));
        ring.onReconnect();
        assertNotEquals(before, ring.e2eElement(EnumSet.allOf(org.xp2p.schemas.SymmetricCipher.class)));
        assertEquals(java.util.List.of(2L), seen);
        assertEquals(1, ring.previous().orElseThrow().number());
    }

    @Test
    void theTimerRotatesOnTheCallersExecutorUntilClosed() throws Exception {
        LocalKeyRing ring = new LocalKeyRing(Set.of(KeyType.X25519), 128, new DeterministicRandom("timer"));
        CountDownLatch twoRotations = new CountDownLatch(2);
        ring.addRotationListener(g -> twoRotations.countDown());
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        KeyRotationSchedule schedule = KeyRotationSchedule.start(ring, executor, Duration.ofMillis(20));
        try {
            assertTrue(twoRotations.await(30, TimeUnit.SECONDS), "timer rotated twice");
        } finally {
            schedule.close();
            executor.shutdown();
            assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertTrue(ring.current().number() >= 3);
    }

    @Test
    void whenAKeysCountersRunOutTheRingRotatesInsteadOfReusingACounter() throws Exception {
        LocalKeyRing ring = new LocalKeyRing(TYPES, 128, new DeterministicRandom("exhaust"), java.time.Clock.systemUTC(),
                org.xp2p.schemas.smack.EncryptedElement.MAX_COUNTER);
        E2eEndpoint alice = new E2eEndpoint(ring, E2ePolicy.DEFAULT, new DeterministicRandom("exhaust-seal"));
        E2eEndpoint bob = Fixtures.endpoint("exhaust-bob", TYPES, E2ePolicy.DEFAULT);
        PeerKeys bobKeys = alice.peerKeys(bob.e2eElement());
        assertEquals(org.xp2p.schemas.smack.EncryptedElement.MAX_COUNTER,
                counter(alice.encrypt(Fixtures.chat("x-1", "last"), Fixtures.ALICE, bobKeys)));
        assertEquals(0, counter(alice.encrypt(Fixtures.chat("x-2", "first of the new key"), Fixtures.ALICE, bobKeys)));
        assertEquals(2, ring.current().number());
    }
}
