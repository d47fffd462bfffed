package org.xp2p.xmpp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.ContactOffer;
import org.xp2p.discovery.dht.DhtConfig;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.discovery.dht.PresenceMirror;
import org.xp2p.discovery.dht.SubnetPolicy;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.direct.DirectLinkConfig;
import org.xp2p.xmpp.link.Link;
import org.xp2p.xmpp.link.LinkConfig;
import org.xp2p.xmpp.routing.Delivery;
import org.xp2p.xmpp.routing.Response;
import org.xp2p.xmpp.routing.RouterConfig;

/**
 * Broker devices that also mirror their presence into a DHT of real UDP nodes on loopback,
 * against a real Prosody: each record carries the device's full JID, link endpoint and
 * current keys, and follows a key rotation. Then the broker goes down, and bob restarts
 * while it is down, on a new port with new keys: alice reaches him over a direct link
 * found through his signed record alone, and he answers her the same way. Messages sent
 * while he is away altogether leave over a direct link once he is back, in order. When the
 * broker returns, he logs in for the first time. A contact's record that names another
 * account is ignored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DhtWhileBrokerDownTest {
    private static final long WAIT = 30;
    private static final int BYSTANDERS = 4;

    private static final SecureRandom random = new SecureRandom();
    private static final List<DhtNode> nodes = new ArrayList<>();
    private static ProsodyServer prosody;
    private static DhtNode aliceNode;
    private static DhtNode bobNode;
    private static DhtNode carolNode;
    private static ContactOffer aliceOffer;
    private static ContactOffer bobOffer;
    private static Device alice;
    private static Device bob;
    private static final RecordingHandler aliceInbox = new RecordingHandler();
    private static final RecordingHandler bobInbox = new RecordingHandler();

    @BeforeAll
    static void devices() throws Exception {
        prosody = ProsodyServer.startOnLoopback();
        for (String user : List.of("alice", "bob")) {
            Accounts.register(prosody.address(), prosody.port(), user);
        }
        for (int i = 0; i < BYSTANDERS; i++) {
            node();
        }
        aliceNode = node();
        bobNode = node();
        carolNode = node();
        aliceOffer = offer(aliceNode, "alice@localhost");
        bobOffer = offer(bobNode, "bob@localhost");
        BareJid a = JidCreate.bareFrom("alice@localhost");
        BareJid b = JidCreate.bareFrom("bob@localhost");
        // alice also imported carol's offer: carol is an account without a device here, whose record claims bob
        alice = device("alice", "127.0.0.1", SubscriptionPolicy.autoAcceptFrom(Set.of(b)), aliceInbox, aliceNode,
                bobOffer, offer(carolNode, "carol@localhost"));
        bob = device("bob", "127.0.0.2", SubscriptionPolicy.allowList(Set.of(a)), bobInbox, bobNode, aliceOffer);
        bob.subscribe(a);
        Waits.until("alice and bob see each other's presence", WAIT,
                () -> BrokerAndDirectLinksTest.knows(alice, bob) && BrokerAndDirectLinksTest.knows(bob, alice));
    }

    private static DhtNode node() throws Exception {
        // a cheap ID puzzle keeps start-up quick; loopback ports count as separate subnets
        DhtConfig config = DhtConfig.builder().puzzleDifficultyBits(8).subnetPolicy(SubnetPolicy.LOOPBACK_PER_PORT)
                .timeoutMillis(200, 2000).build();
        DhtNode n = DhtNode.openUdp(config, NodeIdentity.generate(random, config.puzzleDifficultyBits()),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        if (!nodes.isEmpty()) {
            n.bootstrap(nodes.subList(0, Math.min(3, nodes.size())).stream().map(DhtNode::localAddress).toList())
                    .get(WAIT, TimeUnit.SECONDS);
        }
        nodes.add(n);
        return n;
    }

    private static ContactOffer offer(DhtNode node, String jid) {
        return ContactOffer.create(node.identity(), jid, List.of(node.localAddress()), System.currentTimeMillis());
    }

    private static Device device(String user, String address, SubscriptionPolicy policy, RecordingHandler inbox,
            DhtNode node, ContactOffer... contacts) throws Exception {
        LinkConfig link = new LinkConfig(InetAddress.getByName(address), 0, LinkConfig.DEFAULT_MAX_STANZA_BYTES,
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1));
        Device.Builder b = Device.builder(Accounts.config(prosody.address(), prosody.port(), user))
                .subscriptions(policy)
                .handler(inbox)
                .router(RouterConfig.defaults().withTimes(Duration.ofSeconds(5), Duration.ofSeconds(8),
                        Duration.ofSeconds(120), Duration.ofSeconds(1)))
                .directLinks(DirectLinkConfig.on(InetAddress.getByName(address)).withLink(link))
                .dht(node);
        for (ContactOffer c : contacts) {
            b.contact(c);
        }
        return b.start();
    }

    @AfterAll
    static void stop() {
        for (Device d : new Device[] {alice, bob}) {
            if (d != null) {
                d.close();
            }
        }
        nodes.forEach(DhtNode::close);
        if (prosody != null) {
            prosody.close();
        }
    }

    /** Bob's record as a bystander finds it, once it lists {@code keys}. */
    private static PeerInfo recordOfBobWith(org.xp2p.schemas.smack.E2eElement keys) throws Exception {
        PresenceMirror reader = new PresenceMirror(nodes.get(0));
        PeerInfo[] found = new PeerInfo[1];
        Waits.until("bob's record lists his current keys", WAIT, () -> {
            try {
                Optional<PeerInfo> r = reader.lookup(bobNode.identity().publicKey()).get(WAIT, TimeUnit.SECONDS);
                found[0] = r.orElse(null);
                return r.flatMap(PeerInfo::e2eKeys).filter(keys::equals).isPresent();
            } catch (Exception e) {
                return false;
            }
        });
        return found[0];
    }

    private static Message message(String body) {
        return StanzaBuilder.buildMessage().to(bob.jid()).setBody(body).build();
    }

    @Test
    @Order(1)
    void eachDeviceMirrorsItsJidEndpointAndCurrentKeysAndFollowsARotation() throws Exception {
        PeerInfo record = recordOfBobWith(bob.e2e().e2eElement());
        assertEquals(bob.jid().toString(), record.jid());
        assertEquals(List.of(bob.endpoints().local()), record.localEndpoints());
        assertEquals(Optional.of(bob.endpoints().external()), record.externalEndpoint());
        long firstSeq = PresenceMirror.seq(record);

        bob.dropBrokerConnection(); // he reconnects with fresh keys, and publishes them in both places
        Waits.until("bob is back with new keys", WAIT, () -> bob.online() && bob.e2e().ring().current().number() > 1);
        PeerInfo rotated = recordOfBobWith(bob.e2e().e2eElement());
        assertTrue(PresenceMirror.seq(rotated) > firstSeq);

        // alice takes bob's record into her directory, under his full JID, signed by the key of his offer
        assertTrue(alice.dhtPresence().lookUp(bob.jid()).get(WAIT, TimeUnit.SECONDS));
        PeerInfo atAlice = alice.directory().get(bob.jid().toString(), PeerInfo.Source.DHT).orElseThrow();
        assertEquals(Optional.of(bob.e2e().e2eElement()), atAlice.e2eKeys());
        assertTrue(java.util.Arrays.equals(bobOffer.identityKey(), atAlice.identityKey().orElseThrow()));
    }

    @Test
    @Order(2)
    void aRecordNamingAnotherAccountIsIgnored() throws Exception {
        // carol's own record (signed by her offer's key) claims bob's full JID
        PresenceMirror carol = new PresenceMirror(carolNode);
        InetSocketAddress carolLink = new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 5999);
        assertTrue(carol.publish(new PresenceMirror.Presence(List.of(bob.jid().toString()), List.of(carolLink),
                Optional.of(carolLink), alice.e2e().e2eElement())).get(WAIT, TimeUnit.SECONDS).succeeded());
        long refusedBefore = alice.dhtPresence().stats().namesRefused();

        assertTrue(alice.dhtPresence().lookUp(JidCreate.from("carol@localhost")).get(WAIT, TimeUnit.SECONDS));

        assertEquals(refusedBefore + 1, alice.dhtPresence().stats().namesRefused());
        PeerInfo bobAtAlice = alice.directory().get(bob.jid().toString(), PeerInfo.Source.DHT).orElseThrow();
        assertTrue(java.util.Arrays.equals(bobOffer.identityKey(), bobAtAlice.identityKey().orElseThrow()),
                "bob's entry still comes from bob's record");
        assertFalse(bobAtAlice.localEndpoints().contains(carolLink));
        carol.close();
    }

    @Test
    @Order(3)
    void aContactThatRestartedWhileTheBrokerWasDownIsReachedThroughItsRecord() throws Exception {
        assertEquals(DeliveryPath.DIRECT_LINK, alice.send(message("before")).get(WAIT, TimeUnit.SECONDS).path());
        InetSocketAddress oldEndpoint = bob.endpoints().local();
        var oldKeys = bob.e2e().e2eElement();

        prosody.stop();
        Waits.until("both notice the outage", WAIT, () -> !alice.online() && !bob.online());
        bob.close();
        bob = device("bob", "127.0.0.2", SubscriptionPolicy.allowList(Set.of(JidCreate.bareFrom("alice@localhost"))),
                bobInbox, bobNode, aliceOffer);
        assertFalse(bob.online(), "the broker is still down: bob started without it");
        assertNotEquals(oldEndpoint, bob.endpoints().local(), "a new port");
        assertNotEquals(oldKeys, bob.e2e().e2eElement(), "new keys");
        assertTrue(bob.dhtPresence().published().get(WAIT, TimeUnit.SECONDS).succeeded());
        // what the broker last told alice is stale: bob's old port and keys
        assertEquals(oldEndpoint, alice.directory().get(bob.jid().toString(), PeerInfo.Source.BROKER_PRESENCE)
                .orElseThrow().localEndpoints().get(0));

        long failedDials = alice.stats().routing().linkOpenFailures();
        long lookups = alice.dhtPresence().stats().lookups();

        Delivery d = alice.send(message("while the broker is down")).get(WAIT, TimeUnit.SECONDS);

        assertEquals(DeliveryPath.DIRECT_LINK, d.path());
        assertEquals(failedDials + 1, alice.stats().routing().linkOpenFailures(), "the old port refused her");
        assertTrue(alice.dhtPresence().stats().lookups() > lookups, "then she looked bob's record up");
        RecordingHandler.Received got = bobInbox.await(m -> "while the broker is down".equals(m.message().getBody()),
                WAIT);
        assertEquals(DeliveryPath.DIRECT_LINK, got.arrival().path());
        Link link = alice.link(bob.jid().toString()).orElseThrow();
        assertEquals(bob.endpoints().local(), link.remoteAddress(), "dialled at the endpoint of bob's new record");

        // bob knows alice from her record only (he has not logged in since his start), and answers the same way
        Delivery back = bob.send(StanzaBuilder.buildMessage().to(alice.jid()).setBody("back, no broker").build())
                .get(WAIT, TimeUnit.SECONDS);
        assertEquals(DeliveryPath.DIRECT_LINK, back.path());
        aliceInbox.await(m -> "back, no broker".equals(m.message().getBody()), WAIT);
        Response pong = bob.request(new Ping(alice.jid())).get(WAIT, TimeUnit.SECONDS);
        assertEquals(IQ.Type.result, pong.iq().getType());
        assertEquals(DeliveryPath.DIRECT_LINK, pong.path());
        assertTrue(bob.directory().get(alice.jid().toString(), PeerInfo.Source.BROKER_PRESENCE).isEmpty());
    }

    @Test
    @Order(4)
    void messagesSentWhileTheContactWasAwayLeaveDirectlyOnceItIsBackInOrder() throws Exception {
        bob.close();
        List<java.util.concurrent.CompletableFuture<Delivery>> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sends.add(alice.send(message("while away:" + i)));
        }
        Thread.sleep(1500); // nobody answers at bob's endpoint, and there is no broker: they wait
        assertTrue(sends.stream().noneMatch(java.util.concurrent.CompletableFuture::isDone));

        bob = device("bob", "127.0.0.2", SubscriptionPolicy.allowList(Set.of(JidCreate.bareFrom("alice@localhost"))),
                bobInbox, bobNode, aliceOffer);
        assertTrue(bob.dhtPresence().published().get(WAIT, TimeUnit.SECONDS).succeeded());

        for (var f : sends) {
            assertEquals(DeliveryPath.DIRECT_LINK, f.get(WAIT, TimeUnit.SECONDS).path());
        }
        List<String> got = bobInbox.messages().stream().map(r -> r.message().getBody())
                .filter(b -> b != null && b.startsWith("while away:")).toList();
        assertEquals(List.of("while away:0", "while away:1", "while away:2", "while away:3", "while away:4"), got,
                "each once, in order");
        assertFalse(bob.online());
    }

    @Test
    @Order(5)
    void whenTheBrokerReturnsTheRestartedDeviceLogsInAndPublishesThere() throws Exception {
        prosody.startAgain();
        Waits.until("both are online", 60, () -> alice.online() && bob.online());
        Waits.until("each sees the other's presence with its current keys", 60,
                () -> BrokerAndDirectLinksTest.knows(alice, bob) && BrokerAndDirectLinksTest.knows(bob, alice));
        assertEquals(DeliveryPath.DIRECT_LINK, alice.send(message("broker back")).get(WAIT, TimeUnit.SECONDS).path());
        bobInbox.await(m -> "broker back".equals(m.message().getBody()), WAIT);
    }

    @Test
    @Order(6)
    void aBrokerThatAcceptsButNeverAnswersDoesNotStopTheStart() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never a byte back
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            }, "silent-broker");
            acceptor.setDaemon(true);
            acceptor.start();
            try (Device d = Device.builder(Accounts.config("127.0.0.1", silent.getLocalPort(), "alice"))
                    .dht(node()).start()) {
                assertFalse(d.online());
                assertFalse(accepted.isEmpty(), "it did connect, and heard nothing");
                assertTrue(d.dhtPresence().published().get(WAIT, TimeUnit.SECONDS).succeeded());
            } finally {
                for (java.net.Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    @Test
    @Order(7)
    void offersNeedADhtNodeAndMayNotCarryOurOwnKey() {
        assertThrows(IllegalStateException.class, () -> Device.builder(Accounts.config(prosody.address(), prosody.port(),
                "alice")).contact(bobOffer).start());
        IllegalArgumentException own = assertThrows(IllegalArgumentException.class, () -> Device.builder(
                Accounts.config(prosody.address(), prosody.port(), "alice")).dht(aliceNode).contact(aliceOffer).start());
        assertTrue(own.getMessage().contains("our own identity key"), own.getMessage());
    }
}
