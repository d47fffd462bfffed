package org.xp2p.xmpp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.BareJid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xp2p.e2e.E2eMode;
import org.xp2p.schemas.smack.SynchE2eIq;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.testbed.TestEnvironment;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.broker.BrokerSession;
import org.xp2p.xmpp.broker.SubscriptionPolicy;

/**
 * A subscribed contact, a plain Smack client, floods a device through Prosody while the
 * device's handler is stuck: the device's Smack reader takes in no more than the broker
 * path's bound (the broker lane plus what Smack may queue for it) and then waits, leaving
 * the rest to TCP and the broker; once the handler goes on, every message arrives once, in
 * order, and an iq exchange works again. A reader held that way does not hold up close()
 * or the handling of a lost connection.
 */
class BrokerBackPressureTest {
    private static final long WAIT = 30;
    private static final int FLOOD = 3_000;
    private static final int BOUND = Device.MAX_STANZAS_IN_FLIGHT_PER_PATH + BrokerSession.MAX_STANZAS_QUEUED_IN_SMACK;
    /** Smack's reply timeout, for which its shutdown would wait for a reader that does not finish. */
    private static final Duration SMACK_SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private static ProsodyServer prosody;

    @BeforeAll
    static void broker() throws Exception {
        TestEnvironment.requireProgram("prosody", "prosody");
        prosody = ProsodyServer.startOnLoopback();
        for (String user : List.of("dana", "frank", "erin", "gina", "hugo")) {
            Accounts.register(prosody.address(), prosody.port(), user);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (prosody != null) {
            prosody.close();
        }
    }

    @Test
    void aStuckHandlerHoldsTheBrokerReaderAtTheBoundAndNothingIsLost() throws Exception {
        StuckHandler handler = new StuckHandler();
        try (Device dana = device("dana", handler); Flooder frank = Flooder.subscribedTo(dana, "frank")) {
            frank.flood(dana);
            awaitHeldAtBound(dana);

            handler.goOn.countDown();
            handler.inbox.awaitCount(FLOOD, WAIT);
            Thread.sleep(300); // time for a duplicate, were there one
            assertEquals(expectedBodies(0, FLOOD), bodies(handler.inbox), "every message once, in order");
            assertEquals(0, dana.brokerBacklog());

            SynchE2eIq ask = new SynchE2eIq(null, null);
            ask.setTo(dana.jid());
            IQ reply = frank.connection.createStanzaCollectorAndSend(ask).nextResultOrThrow(WAIT * 1000);
            assertEquals(IQ.Type.result, reply.getType(), "an iq exchange with the contact works after the flood");
            assertEquals(dana.e2e().e2eElement(), ((SynchE2eIq) reply).e2e().orElseThrow());
        }
    }

    /** Once {@code device}'s reader is held at the bound, {@code release} lets it go at once, and it ends. */
    private static void releasesTheHeldReader(Device device, String release, Runnable action) throws Exception {
        Thread reader = awaitHeldAtBound(device);
        long start = System.nanoTime();
        action.run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(SMACK_SHUTDOWN_WAIT) < 0, release + " took " + took);
        reader.join(2_000);
        assertFalse(reader.isAlive(), "the held reader ended after " + release);
    }

    @Test
    void closeReturnsPromptlyWhileTheReaderIsHeld() throws Exception {
        StuckHandler handler = new StuckHandler();
        Device erin = device("erin", handler);
        try (Flooder frank = Flooder.subscribedTo(erin, "frank")) {
            frank.flood(erin);
            releasesTheHeldReader(erin, "close()", erin::close);
        } finally {
            erin.close();
            handler.goOn.countDown();
        }
    }

    @Test
    void aLostConnectionReleasesTheHeldReaderAndTheDeviceComesBack() throws Exception {
        StuckHandler handler = new StuckHandler();
        try (Device gina = device("gina", handler); Flooder frank = Flooder.subscribedTo(gina, "frank")) {
            frank.flood(gina);
            releasesTheHeldReader(gina, "dropping the connection", gina::dropBrokerConnection);

            handler.goOn.countDown();
            Waits.until("gina is online again", 60, gina::online);
            Waits.until("what gina read before the loss is handled", WAIT, () -> gina.brokerBacklog() == 0);
            List<Integer> received = new ArrayList<>();
            for (String body : bodies(handler.inbox)) {
                received.add(Integer.parseInt(body.substring(1)));
            }
            assertTrue(received.size() >= BOUND, "only " + received.size() + " messages handled");
            assertEquals(expectedBodies(0, BOUND), bodies(handler.inbox).subList(0, BOUND),
                    "what the reader had taken in before the loss is handled, in order");
            for (int i = 1; i < received.size(); i++) {
                assertTrue(received.get(i) > received.get(i - 1), "out of order or twice: " + received);
            }
        }
    }

    /**
     * A broker session alone, whose owner never takes a stanza (its executor blocks): only
     * the session's own release on close() lets the held reader go, as the owner's lane does
     * not close first here as a device's does.
     */
    @Test
    void aSessionWhoseOwnerNeverTakesAStanzaClosesPromptly() throws Exception {
        CountDownLatch ownerMayGoOn = new CountDownLatch(1);
        java.util.concurrent.ScheduledExecutorService timers =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        BrokerSession hugo = new BrokerSession(Accounts.config(prosody.address(), prosody.port(), "hugo"),
                SubscriptionPolicy.manual(), new org.xp2p.xmpp.peers.PeerDirectory(), timers, task -> {
                    try {
                        ownerMayGoOn.await(2 * WAIT, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, new BrokerSession.Events() {
                    @Override
                    public void online(boolean reconnected) {
                    }

                    @Override
                    public void offline(String reason) {
                    }

                    @Override
                    public void stanza(org.jivesoftware.smack.packet.Stanza stanza) {
                    }
                });
        try (Flooder frank = new Flooder(Accounts.login(prosody.address(), prosody.port(), "frank", "flood"))) {
            hugo.start();
            frank.flood(hugo.jid());
            Waits.until("Smack queues its bound for hugo's owner", WAIT,
                    () -> hugo.stanzasQueuedInSmack() >= BrokerSession.MAX_STANZAS_QUEUED_IN_SMACK);
            Thread.sleep(300); // time for Smack's reader to overrun the bound, were there none
            assertEquals(BrokerSession.MAX_STANZAS_QUEUED_IN_SMACK, hugo.stanzasQueuedInSmack());
            Thread reader = awaitHeldReader();

            long start = System.nanoTime();
            hugo.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(SMACK_SHUTDOWN_WAIT) < 0, "close() took " + took);
            reader.join(2_000);
            assertFalse(reader.isAlive(), "the held reader ended with the session");
        } finally {
            hugo.close();
            ownerMayGoOn.countDown();
            timers.shutdownNow();
        }
    }

    private static Device device(String user, StanzaHandler handler) throws Exception {
        return Device.builder(Accounts.config(prosody.address(), prosody.port(), user))
                .e2ePolicy(Device.defaultPolicy().withMode(E2eMode.ENCRYPT_IF_POSSIBLE))
                .subscriptions(SubscriptionPolicy.autoAcceptFrom(Set.of(
                        org.jxmpp.jid.impl.JidCreate.bareFrom("frank@localhost"))))
                .handler(handler).start();
    }

    /**
     * Waits until the device's broker path holds exactly its bound and its Smack reader waits
     * in the back-pressure gate, then checks that it stays there; returns that reader.
     */
    private static Thread awaitHeldAtBound(Device device) throws InterruptedException {
        Waits.until("the broker path fills to its bound", WAIT, () -> device.brokerBacklog() >= BOUND,
                () -> "backlog " + device.brokerBacklog());
        Thread.sleep(500); // time for Smack's reader to overrun the bound, were there none
        assertEquals(BOUND, device.brokerBacklog(), "read from the broker and not yet handled");
        return awaitHeldReader();
    }

    /** The one Smack reader waiting in the back-pressure gate. */
    private static Thread awaitHeldReader() throws InterruptedException {
        List<Thread> held = new ArrayList<>();
        Waits.until("Smack's reader waits for room", WAIT, () -> {
            held.clear();
            held.addAll(heldReaders());
            return held.size() == 1;
        });
        assertTrue(held.get(0).getName().startsWith("Smack Reader"), held.get(0).getName());
        return held.get(0);
    }

    private static List<Thread> heldReaders() {
        List<Thread> held = new ArrayList<>();
        Thread.getAllStackTraces().forEach((thread, frames) -> {
            if (thread.getState() == Thread.State.WAITING && Arrays.stream(frames).anyMatch(
                    f -> f.getClassName().equals("org.xp2p.xmpp.broker.BackPressuredConnection")
                            && f.getMethodName().equals("processStanza"))) {
                held.add(thread);
            }
        });
        return held;
    }

    private static List<String> expectedBodies(int from, int to) {
        List<String> bodies = new ArrayList<>();
        for (int i = from; i < to; i++) {
            bodies.add("f" + i);
        }
        return bodies;
    }

    private static List<String> bodies(RecordingHandler inbox) {
        List<String> bodies = new ArrayList<>();
        for (RecordingHandler.Received r : inbox.messages()) {
            bodies.add(r.message().getBody());
        }
        return bodies;
    }

    /** Records messages once let go on; until then the first message holds the device's inbound thread. */
    private static final class StuckHandler implements StanzaHandler {
        final CountDownLatch goOn = new CountDownLatch(1);
        final RecordingHandler inbox = new RecordingHandler();

        @Override
        public void onMessage(Message message, Arrival arrival) {
            try {
                goOn.await(2 * WAIT, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the device is closing
                return;
            }
            inbox.onMessage(message, arrival);
        }

        @Override
        public IQ onIqRequest(IQ request, Arrival arrival) {
            return inbox.onIqRequest(request, arrival);
        }
    }

    /** A plain Smack client, subscribed to the device, that sends messages as fast as Smack writes them. */
    private static final class Flooder implements AutoCloseable {
        final XMPPTCPConnection connection;

        Flooder(XMPPTCPConnection connection) {
            this.connection = connection;
        }

        static Flooder subscribedTo(Device device, String user) throws Exception {
            XMPPTCPConnection c = Accounts.login(prosody.address(), prosody.port(), user, "flood");
            Roster roster = Roster.getInstanceFor(c);
            roster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            BareJid target = device.jid().asBareJid();
            roster.createItemAndRequestSubscription(target, target.toString(), null);
            Waits.until(user + " is subscribed to " + target, WAIT, () -> roster.iAmSubscribedTo(target));
            return new Flooder(c);
        }

        void flood(Device device) throws Exception {
            flood(device.jid());
        }

        void flood(org.jxmpp.jid.Jid to) throws Exception {
            for (int i = 0; i < FLOOD; i++) {
                connection.sendStanza(StanzaBuilder.buildMessage().to(to).ofType(Message.Type.chat)
                        .setBody("f" + i).build());
            }
        }

        @Override
        public void close() {
            connection.disconnect();
        }
    }
}
