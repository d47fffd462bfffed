package org.xp2p.xmpp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The link server against a raw TCP peer on loopback, byte for byte: what a hostile or
 * old client sends, and what the server answers.
 */
class LinkServerWireTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final String STREAM_OPEN = "<stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams'";

    /** bob@test advertised 127.0.0.2 only. */
    private static final Map<String, String> ADVERTISED = Map.of("bob@test", "127.0.0.2");

    private ScheduledExecutorService timers;
    private LinkServer server;
    private final BlockingQueue<Stanza> stanzas = new LinkedBlockingQueue<>();
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private final List<Link> links = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        timers = Executors.newSingleThreadScheduledExecutor();
        server = startServer(LinkConfig.defaults(InetAddress.getByName("127.0.0.1")).withMaxStanzaBytes(4096));
    }

    private LinkServer startServer(LinkConfig config) throws Exception {
        InboundAuthenticator auth = (claimed, source) -> {
            if (claimed == null) {
                return ADVERTISED.entrySet().stream().filter(e -> e.getValue().equals(source.getHostAddress()))
                        .map(Map.Entry::getKey).findFirst()
                        .orElseThrow(() -> new StreamFault(StreamErrorCondition.INVALID_FROM, "unknown address"));
            }
            if (!source.getHostAddress().equals(ADVERTISED.get(claimed))) {
                throw new StreamFault(StreamErrorCondition.INVALID_FROM, claimed + " did not advertise " + source);
            }
            return claimed;
        };
        Link.Listener listener = new Link.Listener() {
            @Override
            public void opened(Link link) {
            }

            @Override
            public void stanza(Link link, Stanza stanza) {
                stanzas.add(stanza);
            }

            @Override
            public void closed(Link link, String reason) {
                closed.add(reason);
            }
        };
        return LinkServer.start(config, "alice@test", auth, timers, listener, new Link.Counters(), links::add);
    }

    @AfterEach
    void stop() {
        links.forEach(Link::close);
        server.close();
        timers.shutdownNow();
    }

    private RawPeer connect(String source) throws Exception {
        return new RawPeer(source, server.address());
    }

    @Test
    void claimFromAnAddressTheInstanceDidNotAdvertiseGetsInvalidFromAndClose() throws Exception {
        try (RawPeer p = connect("127.0.0.3")) {
            p.write(STREAM_OPEN + " from='bob@test' to='alice@test' version='1.0'>");
            String answer = p.readToEof(BOUND);
            assertTrue(answer.contains("<stream:stream"), answer);
            assertTrue(answer.contains("<invalid-from xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"), answer);
            assertTrue(answer.endsWith("</stream:stream>"), answer);
            assertFalse(answer.contains("<stream:features"), answer);
        }
        assertTrue(stanzas.isEmpty());
    }

    /**
     * The owner stopped its timers (it is closing) while a link was still open: malformed
     * input must still end the link and its socket, not the reader thread with an exception.
     */
    @Test
    void aMalformedStreamAfterTheOwnersTimersStoppedStillClosesTheSocket() throws Exception {
        List<String> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler guard = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(t.getName() + ": " + e));
        try (RawPeer p = connect("127.0.0.2")) {
            p.write(STREAM_OPEN + " from='bob@test' to='alice@test' version='1.0'>");
            p.readUntil("<stream:features/>", BOUND);
            timers.shutdownNow();
            p.write("<message><body>broken</message>");
            String answer = p.readToEof(BOUND);
            assertTrue(answer.contains("<not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"), answer);
        }
        long until = System.nanoTime() + BOUND.toNanos();
        while (closed.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertFalse(closed.isEmpty(), "the link reports itself closed");
        Thread.setDefaultUncaughtExceptionHandler(guard);
        assertEquals(List.of(), uncaught, "no link thread ended by an exception");
    }

    @Test
    void versionOnePeerFromItsAdvertisedAddressGetsHeaderFeaturesAndIsHeard() throws Exception {
        try (RawPeer p = connect("127.0.0.2")) {
            p.write(STREAM_OPEN + " from='bob@test' to='alice@test' version='1.0'>");
            String answer = p.readUntil("<stream:features/>", BOUND);
            assertTrue(answer.contains("from='alice@test'") && answer.contains("to='bob@test'")
                    && answer.contains("version='1.0'"), answer);
            p.write("<message to='alice@test' type='chat'><body>hello</body></message>");
            Message m = (Message) stanzas.poll(10, TimeUnit.SECONDS);
            assertNotNull(m);
            assertEquals("hello", m.getBody());
            assertEquals("bob@test", m.getFrom().toString());
        }
    }

    @Test
    void libpurpleStyleHeaderWithoutVersionGetsNoFeatures() throws Exception {
        try (RawPeer p = connect("127.0.0.2")) {
            p.write("<?xml version='1.0' encoding='UTF-8' ?>\n" + STREAM_OPEN + " from='bob@test' to='alice@test'>");
            String answer = p.readUntil("from='alice@test'", BOUND);
            p.write("<message to='alice@test'><body>purple</body></message>");
            assertEquals("purple", ((Message) stanzas.poll(10, TimeUnit.SECONDS)).getBody());
            assertFalse(p.text().contains("features"), p.text());
            assertFalse(answer.substring(answer.indexOf("<stream:stream")).contains("version="), answer);
        }
    }

    @Test
    void adiumStyleHeaderWithoutFromIsIdentifiedByItsSourceAddress() throws Exception {
        try (RawPeer p = connect("127.0.0.2")) {
            p.write(STREAM_OPEN + ">");
            p.readUntil("<stream:stream", BOUND);
            p.write("<message><body>no names</body></message>");
            Message m = (Message) stanzas.poll(10, TimeUnit.SECONDS);
            assertEquals("bob@test", m.getFrom().toString());
        }
    }

    @Test
    void stanzaOverTheLimitGetsPolicyViolationAndClose() throws Exception {
        try (RawPeer p = connect("127.0.0.2")) {
            p.write(STREAM_OPEN + " from='bob@test' version='1.0'>");
            p.readUntil("<stream:features/>", BOUND);
            p.write("<message><body>" + "x".repeat(5000) + "</body></message>");
            String answer = p.readToEof(BOUND);
            assertTrue(answer.contains("<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"), answer);
            assertTrue(answer.endsWith("</stream:stream>"), answer);
        }
        assertTrue(stanzas.isEmpty());
    }

    @Test
    void brokenXmlGetsNotWellFormedAndClose() throws Exception {
        try (RawPeer p = connect("127.0.0.2")) {
            p.write(STREAM_OPEN + " from='bob@test' version='1.0'>");
            p.readUntil("<stream:features/>", BOUND);
            p.write("<message><body>oops</message>");
            String answer = p.readToEof(BOUND);
            assertTrue(answer.contains("<not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"), answer);
        }
    }

    @Test
    void undefinedEntityInsideAStanzaIsNotWellFormed() throws Exception {
        try (RawPeer p = connect("127.0.0.2")) {
            p.write(STREAM_OPEN + " from='bob@test' version='1.0'>");
            p.readUntil("<stream:features/>", BOUND);
            p.write("<message><body>&bogus;</body></message>");
            assertTrue(p.readToEof(BOUND).contains("<not-well-formed"), p.text());
        }
    }

    @Test
    void utf8CharacterSplitAcrossTwoTcpWritesArrivesIntact() throws Exception {
        try (RawPeer p = connect("127.0.0.2")) {
            p.write(STREAM_OPEN + " from='bob@test' version='1.0'>");
            p.readUntil("<stream:features/>", BOUND);
            byte[] stanza = "<message><body>price: \u20ac5 \uD83D\uDE00</body></message>".getBytes(StandardCharsets.UTF_8);
            int euro = indexOf(stanza, (byte) 0xE2);
            p.write(java.util.Arrays.copyOfRange(stanza, 0, euro + 1)); // the euro sign's first byte only
            Thread.sleep(100); // let it travel as its own segment (no assertion depends on this)
            p.write(java.util.Arrays.copyOfRange(stanza, euro + 1, stanza.length));
            assertEquals("price: \u20ac5 \uD83D\uDE00", ((Message) stanzas.poll(10, TimeUnit.SECONDS)).getBody());
        }
    }

    @Test
    void whitespaceKeepAlivesBetweenStanzasAreHarmless() throws Exception {
        try (RawPeer p = connect("127.0.0.2")) {
            p.write(STREAM_OPEN + " from='bob@test' version='1.0'>");
            p.readUntil("<stream:features/>", BOUND);
            p.write(" ").write("\n").write("<message><body>1</body></message>").write("  ")
                    .write("<message><body>2</body></message>");
            assertEquals("1", ((Message) stanzas.poll(10, TimeUnit.SECONDS)).getBody());
            assertEquals("2", ((Message) stanzas.poll(10, TimeUnit.SECONDS)).getBody());
        }
    }

    @Test
    void peerEndingTheStreamGetsOurEndAndTheLinkCloses() throws Exception {
        try (RawPeer p = connect("127.0.0.2")) {
            p.write(STREAM_OPEN + " from='bob@test' version='1.0'>");
            p.readUntil("<stream:features/>", BOUND);
            p.write("</stream:stream>");
            p.readUntil("</stream:stream>", BOUND);
        }
        awaitClosed("stream ended");
    }

    @Test
    void ourCloseSendsStreamEndWaitsForThePeersAndThenClosesTcp() throws Exception {
        try (RawPeer p = connect("127.0.0.2")) {
            p.write(STREAM_OPEN + " from='bob@test' version='1.0'>");
            p.readUntil("<stream:features/>", BOUND);
            awaitLink().close();
            String answer = p.readUntil("</stream:stream>", BOUND);
            assertFalse(answer.contains("<stream:error"), answer);
            p.write("</stream:stream>");
            p.readToEof(BOUND); // we closed first, so we close TCP once the peer has ended too
        }
        awaitClosed("closed by us");
    }

    private Link awaitLink() throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (links.isEmpty() || !links.get(0).opened().isDone()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no link accepted");
            }
            Thread.sleep(10);
        }
        return links.get(0);
    }

    @Test
    void silentPeerIsClosedWithConnectionTimeoutAfterKeepAlives() throws Exception {
        server.close();
        server = startServer(LinkConfig.defaults(InetAddress.getByName("127.0.0.1"))
                .withKeepAlive(Duration.ofMillis(200), Duration.ofMillis(1500)));
        try (RawPeer p = connect("127.0.0.2")) {
            p.write(STREAM_OPEN + " from='bob@test' version='1.0'>");
            String answer = p.readToEof(BOUND);
            int features = answer.indexOf("<stream:features/>");
            int error = answer.indexOf("<connection-timeout");
            assertTrue(features > 0 && error > features, answer);
            assertTrue(answer.substring(features + "<stream:features/>".length(), error).contains(" "),
                    "a whitespace keep-alive before the timeout: " + answer);
        }
    }

    @Test
    void headerInTheWrongNamespaceGetsInvalidNamespace() throws Exception {
        try (RawPeer p = connect("127.0.0.2")) {
            p.write("<stream xmlns='jabber:client'>");
            assertTrue(p.readToEof(BOUND).contains("<invalid-namespace"), p.text());
        }
    }

    private void awaitClosed(String reason) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!closed.contains(reason)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no link closed with '" + reason + "'; closed: " + closed);
            }
            Thread.sleep(20);
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }
}
