package org.xp2p.xmpp.linklocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.link.Link;
import org.xp2p.xmpp.link.LinkConfig;

/**
 * A peer that sends faster than the receiving application handles: the receiver queues at
 * most {@link LinkLocalDevice#MAX_QUEUED_PER_LINK} stanzas per link and stops reading the
 * link meanwhile (TCP holds the rest back at the sender), and nothing is lost: once the
 * handler goes on, every message arrives, in order. The handler stays stuck for longer than
 * the links' idle timeout: the receiver does not take the silence its own stop caused for a
 * dead peer (which would close the link and lose what TCP held).
 */
class InboundBackPressureTest {
    private static final long BOUND_SECONDS = 30;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);

    @Test
    void aSlowHandlerBoundsTheQueueAndLosesNothing() throws Exception {
        String suffix = "bp" + ProcessHandle.current().pid();
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        CountDownLatch handlerMayGoOn = new CountDownLatch(1);
        RecordingHandler bobInbox = new RecordingHandler();
        StanzaHandler slowBob = new StanzaHandler() {
            @Override
            public void onMessage(Message message, Arrival arrival) {
                try {
                    handlerMayGoOn.await(BOUND_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                bobInbox.onMessage(message, arrival);
            }

            @Override
            public IQ onIqRequest(IQ request, Arrival arrival) {
                return null;
            }
        };
        PresenceEvents aliceSees = new PresenceEvents();
        int total = 3_000;
        try (LinkLocalDevice alice = LinkLocalDevice.builder("alice@" + suffix + "a", lo).presenceListener(aliceSees)
                .linkConfig(links(lo)).handler(new RecordingHandler()).start();
                LinkLocalDevice bob = LinkLocalDevice.builder("bob@" + suffix + "b", lo).linkConfig(links(lo))
                        .handler(slowBob).start()) {
            aliceSees.await(bob.instance(), "added", Duration.ofSeconds(BOUND_SECONDS));
            for (int i = 0; i < total; i++) {
                alice.send(StanzaBuilder.buildMessage().to(JidCreate.from(bob.instance())).ofType(Message.Type.chat)
                        .setBody("m" + i).build());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
            while (bob.inboundBacklog() < LinkLocalDevice.MAX_QUEUED_PER_LINK && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(300); // time for the reader to overrun the bound, were there none
            assertEquals(LinkLocalDevice.MAX_QUEUED_PER_LINK, bob.inboundBacklog(),
                    "the queue fills to its bound and no further while the handler is stuck");
            Link link = bob.links().values().iterator().next();
            Thread.sleep(IDLE_TIMEOUT.toMillis() + 1_000);
            assertTrue(link.isOpen(), "bob kept the link he stopped reading: " + link.closeReason());

            handlerMayGoOn.countDown();
            for (int i = 0; i < total; i++) {
                RecordingHandler.Received r = bobInbox.messages.poll(BOUND_SECONDS, TimeUnit.SECONDS);
                assertNotNull(r, "message " + i + " missing");
                assertEquals("m" + i, r.message().getBody());
            }
            assertTrue(bobInbox.messages.isEmpty(), "each message once");
        }
    }

    /** Keep-alives every 0.5 s, idle timeout 2 s. */
    private static LinkConfig links(InetAddress address) {
        return new LinkConfig(address, 0, LinkConfig.DEFAULT_MAX_STANZA_BYTES, Duration.ofMillis(500), IDLE_TIMEOUT,
                Duration.ofSeconds(1), Duration.ofSeconds(1));
    }
}
