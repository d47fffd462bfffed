package org.xp2p.xmpp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.direct.DirectLinkConfig;
import org.xp2p.xmpp.link.Link;
import org.xp2p.xmpp.link.LinkConfig;
import org.xp2p.xmpp.routing.Delivery;
import org.xp2p.xmpp.routing.RouterConfig;

/**
 * A receiving application that takes several receipt timeouts to handle one message, while
 * more than its device queues per path keep coming: the receiver stops reading the link (its
 * own back-pressure) and confirms nothing for that long, yet its keep-alives show it is alive.
 * The sender keeps the link, nothing fails over to the broker, the receiver does not time its
 * own link out for the silence it caused, and every message arrives once, in order, over the
 * link. (That a silent link is still given up is DevicesInNamespacesTest's cut by veth.)
 */
class SlowHandlerTest {
    private static final long WAIT = 60;
    private static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(2);
    /** Longer than both the sender's receipt timeout and the receiver's idle timeout (3 s). */
    private static final long HOLD_MILLIS = 3 * RECEIPT_TIMEOUT.toMillis();
    private static final int BEHIND = Device.MAX_STANZAS_IN_FLIGHT_PER_PATH + 500;

    @Test
    void aHandlerSlowerThanTheReceiptTimeoutKeepsTheLinkAndLosesNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingHandler bobInbox = new RecordingHandler();
        long[] heldMillis = new long[1];
        StanzaHandler slowBob = new StanzaHandler() {
            @Override
            public void onMessage(Message message, Arrival arrival) {
                if ("hold".equals(message.getBody())) {
                    long start = System.nanoTime();
                    try {
                        release.await(WAIT, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    heldMillis[0] = (System.nanoTime() - start) / 1_000_000;
                }
                bobInbox.onMessage(message, arrival);
            }

            @Override
            public IQ onIqRequest(IQ request, Arrival arrival) {
                return bobInbox.onIqRequest(request, arrival);
            }
        };
        try (ProsodyServer prosody = ProsodyServer.startOnLoopback()) {
            Accounts.register(prosody.address(), prosody.port(), "alice");
            Accounts.register(prosody.address(), prosody.port(), "bob");
            try (Device alice = device(prosody, "alice", "127.0.0.1", SubscriptionPolicy.autoAcceptFrom(
                    Set.of(JidCreate.bareFrom("bob@localhost"))), new RecordingHandler());
                    Device bob = device(prosody, "bob", "127.0.0.2", SubscriptionPolicy.allowList(
                            Set.of(JidCreate.bareFrom("alice@localhost"))), slowBob)) {
                bob.subscribe(alice.jid().asBareJid());
                Waits.until("alice and bob see each other's keys and endpoints", WAIT,
                        () -> BrokerAndDirectLinksTest.knows(alice, bob) && BrokerAndDirectLinksTest.knows(bob, alice));
                assertEquals(DeliveryPath.DIRECT_LINK, alice.send(message(bob, "first")).get(WAIT, TimeUnit.SECONDS).path());
                Link link = alice.link(bob.jid().toString()).orElseThrow();
                var before = alice.stats().routing();

                List<CompletableFuture<Delivery>> sends = new ArrayList<>();
                sends.add(alice.send(message(bob, "hold")));
                for (int i = 0; i < BEHIND; i++) {
                    sends.add(alice.send(message(bob, "m" + i)));
                }
                Thread.sleep(HOLD_MILLIS);
                release.countDown();
                for (CompletableFuture<Delivery> f : sends) {
                    assertEquals(DeliveryPath.DIRECT_LINK, f.get(WAIT, TimeUnit.SECONDS).path());
                }

                bobInbox.awaitCount(BEHIND + 2, WAIT); // also makes the handler's heldMillis visible here
                assertTrue(heldMillis[0] >= HOLD_MILLIS - 100, "the handler held one message for " + heldMillis[0] + " ms");
                List<RecordingHandler.Received> got = bobInbox.messages();
                assertEquals(BEHIND + 2, got.size(), "each message exactly once");
                assertEquals("hold", got.get(1).message().getBody());
                for (int i = 0; i < BEHIND; i++) {
                    RecordingHandler.Received r = got.get(i + 2);
                    assertEquals("m" + i, r.message().getBody(), "in order");
                    assertEquals(DeliveryPath.DIRECT_LINK, r.arrival().path());
                }
                var after = alice.stats().routing();
                assertEquals(before.linksOpened(), after.linksOpened(), "no new link: " + after);
                assertEquals(before.retransmitted(), after.retransmitted(), "nothing failed over: " + after);
                assertSame(link, alice.link(bob.jid().toString()).orElseThrow(), "the same link carried them all");
                assertTrue(link.isOpen());
            }
        }
    }

    private static Device device(ProsodyServer prosody, String user, String address, SubscriptionPolicy policy,
            StanzaHandler handler) throws Exception {
        // keep-alive 0.5 s: the receiver is heard well within the receipt timeout while it handles
        LinkConfig link = new LinkConfig(InetAddress.getByName(address), 0, LinkConfig.DEFAULT_MAX_STANZA_BYTES,
                Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(1));
        return Device.builder(Accounts.config(prosody.address(), prosody.port(), user))
                .subscriptions(policy)
                .handler(handler)
                .router(RouterConfig.defaults().withTimes(RECEIPT_TIMEOUT, Duration.ofSeconds(8), Duration.ofSeconds(120),
                        Duration.ofSeconds(1)))
                .directLinks(DirectLinkConfig.on(InetAddress.getByName(address)).withLink(link))
                .start();
    }

    private static Message message(Device to, String body) {
        return StanzaBuilder.buildMessage().to(to.jid()).setBody(body).build();
    }
}
