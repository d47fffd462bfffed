package org.xp2p.xmpp.linklocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eMode;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.xmpp.link.Link;
import org.xp2p.xmpp.secure.E2eStanzaProtector;

/**
 * Key rotation on a live secured link between real devices on loopback: while messages
 * flow both ways, one device (then both at once) rotates its E2E keys twice; the open
 * link re-synchronises (synchE2e and identity proof again), every message arrives once
 * and in order, and the link in use is still the same object after the first generation
 * is gone from the rotating ring.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one pair of devices: closing jmDNS costs seconds
class KeyRotationOnOpenLinkTest {
    private static final long BOUND = 30;
    /** Messages each way per test; paced so that the rotations fall in the middle of the flow. */
    private static final int MESSAGES_EACH_WAY = 300;
    private static final long PACE_MILLIS = 3;
    private final SecureRandom random = new SecureRandom();
    private final IdentityKey aliceId = IdentityKey.generate(random);
    private final IdentityKey bobId = IdentityKey.generate(random);
    private final RecordingHandler aliceInbox = new RecordingHandler();
    private final RecordingHandler bobInbox = new RecordingHandler();
    private E2eEndpoint aliceEndpoint;
    private E2eEndpoint bobEndpoint;
    private E2eStanzaProtector aliceGuard;
    private E2eStanzaProtector bobGuard;
    private LinkLocalDevice alice;
    private LinkLocalDevice bob;

    private E2eEndpoint endpoint() {
        return new E2eEndpoint(new LocalKeyRing(EnumSet.of(KeyType.ED25519, KeyType.P256), 128, random),
                E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E), random);
    }

    @BeforeAll
    void start() throws Exception {
        String s = "rot" + ProcessHandle.current().pid();
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        aliceEndpoint = endpoint();
        bobEndpoint = endpoint();
        aliceGuard = new E2eStanzaProtector(aliceEndpoint, aliceId, List.of(bobId.publicKey()));
        bobGuard = new E2eStanzaProtector(bobEndpoint, bobId, List.of(aliceId.publicKey()));
        PresenceEvents aliceSees = new PresenceEvents();
        PresenceEvents bobSees = new PresenceEvents();
        alice = LinkLocalDevice.builder("alice@" + s, lo).handler(aliceInbox).presenceListener(aliceSees)
                .protector(aliceGuard).start();
        bob = LinkLocalDevice.builder("bob@" + s, lo).handler(bobInbox).presenceListener(bobSees)
                .protector(bobGuard).start();
        aliceSees.await(bob.instance(), "added", Duration.ofSeconds(BOUND));
        bobSees.await(alice.instance(), "added", Duration.ofSeconds(BOUND));
    }

    @AfterAll
    void stop() {
        for (LinkLocalDevice d : new LinkLocalDevice[] {alice, bob}) {
            if (d != null) {
                d.close();
            }
        }
    }

    private static Message chat(String to, String body) throws Exception {
        return StanzaBuilder.buildMessage().to(JidCreate.from(to)).ofType(Message.Type.chat).setBody(body).build();
    }

    /** One open link between the two, which both send on; returns alice's and bob's view of it. */
    private Link[] openLink() throws Exception {
        alice.send(chat(bob.instance(), "hello")).get(BOUND, TimeUnit.SECONDS);
        assertNotNull(bobInbox.messages.poll(BOUND, TimeUnit.SECONDS));
        bob.send(chat(alice.instance(), "hello back")).get(BOUND, TimeUnit.SECONDS);
        assertNotNull(aliceInbox.messages.poll(BOUND, TimeUnit.SECONDS));
        Link atAlice = alice.links().get(LinkLocalPeers.key(bob.instance()));
        Link atBob = bob.links().get(LinkLocalPeers.key(alice.instance()));
        assertNotNull(atAlice);
        assertNotNull(atBob);
        return new Link[] {atAlice, atBob};
    }

    /** Sends numbered messages on its own thread; {@link #sent} counts those handed to the device. */
    private static final class Flow {
        final AtomicInteger sent = new AtomicInteger();
        final List<CompletableFuture<Void>> writes = new ArrayList<>();
        final Thread thread;

        Flow(LinkLocalDevice from, String to, String tag) {
            thread = new Thread(() -> {
                try {
                    for (int i = 0; i < MESSAGES_EACH_WAY; i++) {
                        CompletableFuture<Void> w = from.send(chat(to, tag + i));
                        synchronized (writes) {
                            writes.add(w);
                        }
                        sent.incrementAndGet();
                        Thread.sleep(PACE_MILLIS);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "flow-" + tag);
            thread.start();
        }

        void awaitAllWritten() throws Exception {
            thread.join(TimeUnit.SECONDS.toMillis(BOUND));
            assertEquals(MESSAGES_EACH_WAY, sent.get(), "the sending thread stopped early");
            List<CompletableFuture<Void>> all;
            synchronized (writes) {
                all = List.copyOf(writes);
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(BOUND, TimeUnit.SECONDS);
        }
    }

    /** Every numbered message of {@code tag} arrives exactly once and in order (after the greeting). */
    private static void assertAllInOrder(RecordingHandler inbox, String tag) throws Exception {
        List<String> got = new ArrayList<>();
        while (got.size() < MESSAGES_EACH_WAY) {
            RecordingHandler.Received r = inbox.messages.poll(BOUND, TimeUnit.SECONDS);
            assertNotNull(r, "only " + got.size() + " of " + MESSAGES_EACH_WAY + " " + tag + " messages arrived");
            got.add(r.message().getBody());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < MESSAGES_EACH_WAY; i++) {
            expected.add(tag + i);
        }
        assertEquals(expected, got);
        assertTrue(inbox.messages.poll(300, TimeUnit.MILLISECONDS) == null, "a message arrived twice");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    /** Waits until {@code flow} has handed over {@code more} further messages: traffic between rotations. */
    private static void letFlow(Flow flow, int more) throws InterruptedException {
        int target = Math.min(MESSAGES_EACH_WAY, flow.sent.get() + more);
        await(() -> flow.sent.get() >= target, "the flow sent " + target);
    }

    /**
     * As {@link #letFlow}, and waits until the receiver has handled those messages too. They
     * arrive in order, so everything sealed for the receiver's keys before its last rotation
     * has then been opened: a ring keeps one previous generation, and a second rotation with
     * such stanzas still queued would discard the keys they need.
     */
    private static void letArrive(Flow flow, RecordingHandler inbox, int more) throws InterruptedException {
        int target = Math.min(MESSAGES_EACH_WAY, flow.sent.get() + more);
        await(() -> flow.sent.get() >= target && inbox.messages.size() >= target, "the receiver handled " + target);
    }

    @Test
    void rotatingOneSideTwiceMidFlowKeepsTheLinkAndEveryMessageInOrder() throws Exception {
        Link[] link = openLink();
        Flow toBob = new Flow(alice, bob.instance(), "a2b-");
        Flow toAlice = new Flow(bob, alice.instance(), "b2a-");
        letFlow(toBob, 40);
        long first = aliceEndpoint.ring().current().number();
        aliceEndpoint.ring().rotate();
        // the rotation alone (no send needed) re-synchronises the open link
        await(() -> aliceGuard.inSync(bob.instance()), "bob holds alice's second generation");
        letArrive(toAlice, aliceInbox, 40);
        letFlow(toBob, 40);
        aliceEndpoint.ring().rotate();
        await(() -> aliceGuard.inSync(bob.instance()), "bob holds alice's third generation");
        assertEquals(first + 1, aliceEndpoint.ring().previous().orElseThrow().number(), "the first generation is gone");
        toBob.awaitAllWritten();
        toAlice.awaitAllWritten();
        assertAllInOrder(bobInbox, "a2b-");
        assertAllInOrder(aliceInbox, "b2a-");
        assertSame(link[0], alice.links().get(LinkLocalPeers.key(bob.instance())));
        assertSame(link[1], bob.links().get(LinkLocalPeers.key(alice.instance())));
        assertTrue(link[0].isOpen() && link[1].isOpen());
        assertEquals(0, alice.stats().stanzasDropped() + bob.stats().stanzasDropped(), "a stanza was rejected");

        // after the flows: both directions on the same link, bob's to alice's third generation
        bob.send(chat(alice.instance(), "after")).get(BOUND, TimeUnit.SECONDS);
        assertEquals("after", aliceInbox.messages.poll(BOUND, TimeUnit.SECONDS).message().getBody());
        alice.send(chat(bob.instance(), "and back")).get(BOUND, TimeUnit.SECONDS);
        assertEquals("and back", bobInbox.messages.poll(BOUND, TimeUnit.SECONDS).message().getBody());
        assertSame(link[0], alice.links().get(LinkLocalPeers.key(bob.instance())));
    }

    @Test
    void bothSidesRotatingAtOnceTwiceMidFlowKeepTheLinkAndEveryMessageInOrder() throws Exception {
        Link[] link = openLink();
        long aliceFirst = aliceEndpoint.ring().current().number();
        long bobFirst = bobEndpoint.ring().current().number();
        Flow toBob = new Flow(alice, bob.instance(), "a2b-");
        Flow toAlice = new Flow(bob, alice.instance(), "b2a-");
        for (int round = 0; round < 2; round++) {
            letArrive(toBob, bobInbox, 40);
            CountDownLatch go = new CountDownLatch(1);
            Thread bobRotates = new Thread(() -> {
                try {
                    go.await();
                    bobEndpoint.ring().rotate();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            bobRotates.start();
            go.countDown();
            aliceEndpoint.ring().rotate();
            bobRotates.join();
            await(() -> aliceGuard.inSync(bob.instance()) && bobGuard.inSync(alice.instance()),
                    "each holds the other's new keys");
            letArrive(toAlice, aliceInbox, 40);
        }
        assertEquals(aliceFirst + 2, aliceEndpoint.ring().current().number());
        assertEquals(bobFirst + 2, bobEndpoint.ring().current().number());
        toBob.awaitAllWritten();
        toAlice.awaitAllWritten();
        assertAllInOrder(bobInbox, "a2b-");
        assertAllInOrder(aliceInbox, "b2a-");
        assertSame(link[0], alice.links().get(LinkLocalPeers.key(bob.instance())));
        assertSame(link[1], bob.links().get(LinkLocalPeers.key(alice.instance())));
        assertEquals(0, alice.stats().stanzasDropped() + bob.stats().stanzasDropped(), "a stanza was rejected");
    }
}
