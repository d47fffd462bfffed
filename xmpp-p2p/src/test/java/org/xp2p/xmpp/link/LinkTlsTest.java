package org.xp2p.xmpp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.testbed.Command;

/**
 * STARTTLS on link-local streams over loopback: offered to version-1.0 initiators when the
 * server has a TLS context, taken up by our client, optional for others. The certificate
 * is a throw-away one made by keytool and pinned as the only trusted one.
 */
class LinkTlsTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static SSLContext tls;

    private ScheduledExecutorService timers;
    private LinkServer server;
    private final BlockingQueue<Stanza> atServer = new LinkedBlockingQueue<>();
    private final BlockingQueue<Stanza> atClient = new LinkedBlockingQueue<>();
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Link> accepted = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void certificate() throws Exception {
        Path dir = Files.createTempDirectory("xp2p-tls");
        Path store = dir.resolve("link.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Command.run(keytool, "-genkeypair", "-alias", "link", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=alice@test", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks); // pinned: the one certificate we made is the only one trusted
        tls = SSLContext.getInstance("TLSv1.3");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    }

    private static Link.Listener recorder(BlockingQueue<Stanza> into) {
        return new Link.Listener() {
            @Override
            public void opened(Link link) {
            }

            @Override
            public void stanza(Link link, Stanza stanza) {
                into.add(stanza);
            }

            @Override
            public void closed(Link link, String reason) {
            }
        };
    }

    @BeforeEach
    void start() throws Exception {
        timers = Executors.newSingleThreadScheduledExecutor();
        LinkConfig config = LinkConfig.defaults(InetAddress.getByName("127.0.0.1")).withTls(tls);
        server = LinkServer.start(config, "alice@test", (claimed, source) -> claimed == null ? "anon@test" : claimed,
                timers, recorder(atServer), new Link.Counters(), link -> {
                    accepted.add(link);
                    links.add(link);
                });
    }

    @AfterEach
    void stop() {
        links.forEach(Link::close);
        server.close();
        timers.shutdownNow();
    }

    @Test
    void ourClientTakesUpOfferedStarttlsAndStanzasFlowBothWaysInsideTls() throws Exception {
        LinkConnector connector = new LinkConnector(LinkConfig.defaults(InetAddress.getByName("127.0.0.1")).withTls(tls),
                "bob@test", timers, recorder(atClient), new Link.Counters());
        Link client = connector.open(server.address(), "alice@test");
        links.add(client);
        client.opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertTrue(client.isTlsActive());
        client.send(StanzaBuilder.buildMessage().to(JidCreate.from("alice@test")).setBody("over tls").build())
                .get(BOUND.toSeconds(), TimeUnit.SECONDS);
        Message m = (Message) atServer.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertEquals("over tls", m.getBody());
        Link serverSide = accepted.get(0);
        assertTrue(serverSide.isTlsActive());
        serverSide.send(StanzaBuilder.buildMessage().to(JidCreate.from("bob@test")).setBody("and back").build());
        assertEquals("and back", ((Message) atClient.poll(BOUND.toSeconds(), TimeUnit.SECONDS)).getBody());
    }

    @Test
    void starttlsIsOfferedButAPeerMayGoOnWithoutIt() throws Exception {
        try (RawPeer p = new RawPeer("127.0.0.1", server.address())) {
            p.write("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
                    + "from='carol@test' version='1.0'>");
            String answer = p.readUntil("</stream:features>", BOUND);
            assertTrue(answer.contains("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"), answer);
            p.write("<message><body>plain is fine</body></message>");
            assertEquals("plain is fine", ((Message) atServer.poll(BOUND.toSeconds(), TimeUnit.SECONDS)).getBody());
        }
    }

    @Test
    void clientWithoutTlsContextIgnoresTheOffer() throws Exception {
        LinkConnector plain = new LinkConnector(LinkConfig.defaults(InetAddress.getByName("127.0.0.1")), "dave@test",
                timers, recorder(atClient), new Link.Counters());
        Link client = plain.open(server.address(), "alice@test");
        links.add(client);
        client.opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertFalse(client.isTlsActive());
        client.send(StanzaBuilder.buildMessage().to(JidCreate.from("alice@test")).setBody("no tls").build());
        assertEquals("no tls", ((Message) atServer.poll(BOUND.toSeconds(), TimeUnit.SECONDS)).getBody());
    }

}
