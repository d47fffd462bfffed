package org.xp2p.xmpp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Link#abort}: the connection drops as in a crash (TCP reset, no stream end), the
 * peer's link sees its stream break off, and nothing more is sent on the aborted link.
 */
class LinkAbortTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final String STREAM_OPEN = "<stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams'";

    private ScheduledExecutorService timers;
    private LinkServer server;
    private final BlockingQueue<Stanza> stanzas = new LinkedBlockingQueue<>();
    private final BlockingQueue<Link> accepted = new LinkedBlockingQueue<>();
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private final Link.Listener listener = new Link.Listener() {
        @Override
        public void opened(Link link) {
        }

        @Override
        public void stanza(Link link, Stanza stanza) {
            stanzas.add(stanza);
        }

        @Override
        public void closed(Link link, String reason) {
            closed.add(link.direction() + " " + reason);
        }
    };

    @BeforeEach
    void start() throws Exception {
        timers = Executors.newSingleThreadScheduledExecutor();
        InboundAuthenticator auth = (claimed, source) -> "bob@test";
        server = LinkServer.start(LinkConfig.defaults(InetAddress.getByName("127.0.0.1")), "alice@test", auth, timers,
                listener, new Link.Counters(), accepted::add);
    }

    @AfterEach
    void stop() {
        accepted.forEach(Link::close);
        server.close();
        timers.shutdownNow();
    }

    @Test
    void anAbortedLinkResetsTcpWithoutAStreamEndAndRefusesLaterSends() throws Exception {
        try (RawPeer bob = new RawPeer("127.0.0.2", server.address())) {
            bob.write(STREAM_OPEN + " from='bob@test' to='alice@test' version='1.0'>");
            bob.readUntil("<stream:features/>", BOUND);
            Link link = accepted.poll(10, TimeUnit.SECONDS);
            assertNotNull(link);
            link.opened().get(10, TimeUnit.SECONDS);
            link.send(StanzaBuilder.buildMessage("before").setBody("before the cut").build()).get(10, TimeUnit.SECONDS);
            bob.readUntil("before the cut", BOUND);

            link.abort("cut by the test");

            String seen = bob.readToEof(BOUND);
            assertTrue(bob.resetByPeer(), "TCP reset, not a FIN: " + seen);
            assertFalse(seen.contains("</stream:stream>"), "no stream end on an abort: " + seen);
            assertFalse(link.isOpen());
            assertEquals("cut by the test", link.closeReason());
            assertEquals(List.of("INBOUND cut by the test"), closed);
            CompletableFuture<Void> late = link.send(StanzaBuilder.buildMessage("after").setBody("x").build());
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> late.get(10, TimeUnit.SECONDS));
            assertInstanceOf(LinkClosedException.class, e.getCause());
            link.abort("again"); // idempotent: the listener heard once
            assertEquals(1, closed.size());
        }
    }

    @Test
    void thePeerOfAnAbortedLinkSeesTheConnectionLostNotAStreamEnd() throws Exception {
        LinkConnector connector = new LinkConnector(LinkConfig.defaults(InetAddress.getByName("127.0.0.2")), "bob@test",
                timers, listener, new Link.Counters());
        Link out = connector.open(server.address(), "alice@test");
        out.opened().get(10, TimeUnit.SECONDS);
        Link in = accepted.poll(10, TimeUnit.SECONDS);
        assertNotNull(in);
        for (int i = 0; i < 100; i++) {
            out.send(StanzaBuilder.buildMessage("m" + i).setBody(Integer.toString(i)).build());
        }
        Message first = (Message) stanzas.poll(10, TimeUnit.SECONDS);
        assertNotNull(first);
        out.abort("crash");

        long deadline = System.nanoTime() + BOUND.toNanos();
        while (in.closeReason() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertNotNull(in.closeReason(), "the inbound side noticed the cut");
        assertTrue(in.closeReason().startsWith("connection lost"), in.closeReason());
        assertFalse(in.isOpen());
        assertTrue(closed.contains("OUTBOUND crash"), closed.toString());
    }
}
