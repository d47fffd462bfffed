package org.xp2p.xmpp.linklocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.discovery.mdns.PresenceStatus;
import org.xp2p.xmpp.DeliveryPath;

/**
 * Two whole devices in this JVM, both on 127.0.0.1 (the network rule's loopback): mDNS
 * discovery, a link opened on demand, chat both ways over it, iq request and answer,
 * an unknown iq answered with service-unavailable, a status change seen by the other, and
 * (last, as it ends bob) the goodbye that removes bob and closes alice's link to him.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LinkLocalDeviceLoopbackTest {
    private static final long BOUND_SECONDS = 30;
    private final String suffix = "lo" + ProcessHandle.current().pid();
    private final RecordingHandler aliceInbox = new RecordingHandler();
    private final RecordingHandler bobInbox = new RecordingHandler();
    private final PresenceEvents aliceSees = new PresenceEvents();
    private LinkLocalDevice alice;
    private LinkLocalDevice bob;

    @BeforeAll
    void start() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        alice = LinkLocalDevice.builder("alice@" + suffix + "a", lo).handler(aliceInbox).presenceListener(aliceSees).start();
        bob = LinkLocalDevice.builder("bob@" + suffix + "b", lo).handler(bobInbox).start();
    }

    @AfterAll
    void stop() {
        alice.close();
        bob.close();
    }

    private static Message chat(String to, String body) throws Exception {
        return StanzaBuilder.buildMessage().to(JidCreate.from(to)).ofType(Message.Type.chat).setBody(body).build();
    }

    @Test
    @Order(1)
    void devicesFindEachOtherAndChatBothWaysOverOneLink() throws Exception {
        aliceSees.await(bob.instance(), "added", Duration.ofSeconds(BOUND_SECONDS));
        alice.send(chat(bob.instance(), "hi bob")).get(BOUND_SECONDS, TimeUnit.SECONDS);
        RecordingHandler.Received atBob = bobInbox.messages.poll(BOUND_SECONDS, TimeUnit.SECONDS);
        assertNotNull(atBob);
        assertEquals("hi bob", atBob.message().getBody());
        assertEquals(DeliveryPath.LINK_LOCAL, atBob.arrival().path());
        assertEquals(alice.instance(), atBob.arrival().peer());
        assertFalse(atBob.arrival().protectedByE2e());

        bob.send(chat(alice.instance(), "hi alice")).get(BOUND_SECONDS, TimeUnit.SECONDS);
        RecordingHandler.Received atAlice = aliceInbox.messages.poll(BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals("hi alice", atAlice.message().getBody());
        assertEquals(bob.instance(), atAlice.message().getFrom().toString());
    }

    @Test
    @Order(0)
    void burstSentWhileTheLinkIsStillOpeningReachesTheHandlerInSendingOrder() throws Exception {
        aliceSees.await(bob.instance(), "added", Duration.ofSeconds(BOUND_SECONDS));
        int n = 300;
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(alice.send(chat(bob.instance(), "m" + i)));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(BOUND_SECONDS, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            RecordingHandler.Received r = bobInbox.messages.poll(BOUND_SECONDS, TimeUnit.SECONDS);
            assertNotNull(r, "message " + i + " missing");
            assertEquals("m" + i, r.message().getBody());
        }
    }

    @Test
    @Order(2)
    void iqRequestGetsTheHandlersAnswerAndUnknownIqGetsServiceUnavailable() throws Exception {
        aliceSees.await(bob.instance(), "added", Duration.ofSeconds(BOUND_SECONDS));
        Version request = new Version(JidCreate.from(bob.instance()));
        IQ answer = alice.sendIq(request).get(BOUND_SECONDS, TimeUnit.SECONDS);
        Version v = assertInstanceOf(Version.class, answer);
        assertEquals("xp2p-test", v.getName());
        assertEquals("LINK_LOCAL", v.getOs());

        IQ ping = alice.sendIq(new Ping(JidCreate.from(bob.instance()))).get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals(IQ.Type.error, ping.getType());
        assertEquals(StanzaError.Condition.service_unavailable, ping.getError().getCondition());
    }

    /**
     * A second device asking for alice's name starts as {@code name-1} (XEP-0174): the name
     * it reports once start() returns is the one its peers see and that its stanzas carry.
     */
    @Test
    @Order(3)
    void deviceStartingUnderATakenNameIsRenamedAndIsSeenAndHeardUnderItsNewName() throws Exception {
        String taken = alice.instance();
        RecordingHandler twinInbox = new RecordingHandler();
        try (LinkLocalDevice twin = LinkLocalDevice.builder(taken, InetAddress.getByName("127.0.0.1"))
                .handler(twinInbox).start()) {
            assertEquals(taken + "-1", twin.instance());
            aliceSees.await(twin.instance(), "added", Duration.ofSeconds(BOUND_SECONDS));
            twin.send(chat(taken, "from your twin")).get(BOUND_SECONDS, TimeUnit.SECONDS);
            RecordingHandler.Received atAlice = aliceInbox.messages.poll(BOUND_SECONDS, TimeUnit.SECONDS);
            assertNotNull(atAlice);
            assertEquals("from your twin", atAlice.message().getBody());
            assertEquals(taken + "-1", atAlice.arrival().peer());
            assertEquals(taken, alice.instance());
        }
    }

    @Test
    @Order(4)
    void statusChangeReachesTheOtherSide() throws Exception {
        aliceSees.await(bob.instance(), "added", Duration.ofSeconds(BOUND_SECONDS));
        bob.updateStatus(PresenceStatus.AWAY, "lunch");
        aliceSees.awaitMatching(bob.instance(), p -> "away".equals(p.attributes().get("status"))
                && "lunch".equals(p.attributes().get("msg")), Duration.ofSeconds(BOUND_SECONDS));
    }

    @Test
    @Order(5)
    void goodbyeRemovesThePeerAndClosesItsLink() throws Exception {
        aliceSees.await(bob.instance(), "added", Duration.ofSeconds(BOUND_SECONDS));
        alice.send(chat(bob.instance(), "before")).get(BOUND_SECONDS, TimeUnit.SECONDS);
        bobInbox.messages.poll(BOUND_SECONDS, TimeUnit.SECONDS);
        String bobName = bob.instance();
        bob.close();
        aliceSees.await(bobName, "removed", Duration.ofSeconds(BOUND_SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (alice.links().containsKey(bobName.toLowerCase(java.util.Locale.ROOT))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("link to " + bobName + " still open: " + alice.links());
            }
            Thread.sleep(20);
        }
    }

}
