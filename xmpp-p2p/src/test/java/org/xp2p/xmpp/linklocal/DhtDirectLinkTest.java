package org.xp2p.xmpp.linklocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.ContactOffer;
import org.xp2p.discovery.dht.DhtConfig;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.discovery.dht.PutResult;
import org.xp2p.discovery.dht.SubnetPolicy;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eMode;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.secure.E2eStanzaProtector;

/**
 * Devices with mDNS off that find each other only through real UDP DHT nodes on
 * loopback. Alice knows bob by his contact offer alone: her message and iq reach him
 * end-to-end protected over a direct link, and he answers. Mallory publishes a record of
 * her own that claims bob's name, eve is a contact alice never allowed, and raw streams
 * claim bob's name from an address his record does not list: each is refused, and
 * alice still talks to bob afterwards. E2E keys other than those of the signed record
 * are refused, rotated keys are republished and accepted, and a contact that mDNS also
 * sees stays link-local.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DhtDirectLinkTest {
    private static final long BOUND = 30;
    private static final int SEEDS = 3;
    private final SecureRandom random = new SecureRandom();
    private final String s = "dht" + ProcessHandle.current().pid();
    private final String aliceName = "alice@" + s;
    private final String bobName = "bob@" + s;
    private final String eveName = "eve@" + s;
    private final IdentityKey aliceId = IdentityKey.generate(random);
    private final IdentityKey bobId = IdentityKey.generate(random);
    private final IdentityKey malloryId = IdentityKey.generate(random);
    private final IdentityKey eveId = IdentityKey.generate(random);
    private final IdentityKey carolId = IdentityKey.generate(random);
    private final IdentityKey daveId = IdentityKey.generate(random);
    private final RecordingHandler aliceInbox = new RecordingHandler();
    private final RecordingHandler bobInbox = new RecordingHandler();
    private final RecordingHandler malloryInbox = new RecordingHandler();
    private final List<DhtNode> nodes = new ArrayList<>();
    private final InetAddress lo = InetAddress.getLoopbackAddress();
    private E2eStanzaProtector aliceGuard;
    private E2eStanzaProtector bobGuard;
    private E2eEndpoint lastEndpoint;
    private E2eEndpoint bobEndpoint;
    private LinkLocalDevice alice;
    private LinkLocalDevice bob;
    private LinkLocalDevice mallory;
    private LinkLocalDevice eve;

    static DhtConfig dhtConfig() {
        // a cheap ID puzzle keeps start-up quick; loopback ports count as separate subnets
        return DhtConfig.builder().puzzleDifficultyBits(8).subnetPolicy(SubnetPolicy.LOOPBACK_PER_PORT)
                .timeoutMillis(200, 2000).build();
    }

    private DhtNode node(IdentityKey id) throws Exception {
        DhtConfig config = dhtConfig();
        NodeIdentity identity = id != null ? NodeIdentity.of(id.privateKey(), config.puzzleDifficultyBits())
                : NodeIdentity.generate(random, config.puzzleDifficultyBits());
        DhtNode n = DhtNode.openUdp(config, identity, new InetSocketAddress(lo, 0));
        nodes.add(n);
        if (nodes.size() > 1) {
            n.bootstrap(nodes.subList(0, Math.min(SEEDS, nodes.size() - 1)).stream().map(DhtNode::localAddress).toList())
                    .get(BOUND, TimeUnit.SECONDS);
        }
        return n;
    }

    private E2eStanzaProtector secured(IdentityKey me, IdentityKey... allowed) {
        E2eEndpoint endpoint = new E2eEndpoint(new LocalKeyRing(EnumSet.of(KeyType.ED25519, KeyType.P256), 128, random),
                E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E), random);
        lastEndpoint = endpoint;
        return new E2eStanzaProtector(endpoint, me, java.util.Arrays.stream(allowed).map(IdentityKey::publicKey).toList());
    }

    @BeforeAll
    void start() throws Exception {
        for (int i = 0; i < SEEDS; i++) {
            node(null);
        }
        DhtNode bobNode = node(bobId);
        ContactOffer bobOffer = ContactOffer.create(bobNode.identity(), bobName, List.of(bobNode.localAddress()),
                System.currentTimeMillis());
        ContactOffer fromText = ContactOffer.parse(bobOffer.armoured()); // as if pasted from a mail
        DhtNode aliceNode = node(aliceId);
        aliceGuard = secured(aliceId, bobId, malloryId);
        bobGuard = secured(bobId, aliceId);
        bobEndpoint = lastEndpoint;
        bob = LinkLocalDevice.builder(bobName, lo).mdns(false).handler(bobInbox).protector(bobGuard)
                .dht(bobNode).contact(aliceId.publicKey()).start();
        // mallory is on alice's allow-list, and her own record (signed by her) claims bob's name
        mallory = LinkLocalDevice.builder(bobName, lo).mdns(false).handler(malloryInbox)
                .protector(secured(malloryId, aliceId)).dht(node(malloryId)).contact(aliceId.publicKey()).start();
        // eve is a contact of alice, but alice never put her key on the allow-list
        eve = LinkLocalDevice.builder(eveName, lo).mdns(false).handler(new RecordingHandler())
                .protector(secured(eveId, aliceId)).dht(node(eveId)).contact(aliceId.publicKey()).start();
        alice = LinkLocalDevice.builder(aliceName, lo).mdns(false).handler(aliceInbox).protector(aliceGuard)
                .dht(aliceNode).dhtRefresh(java.time.Duration.ofSeconds(1)).contact(fromText).contact(malloryId.publicKey()).contact(eveId.publicKey()).start();
        for (LinkLocalDevice d : new LinkLocalDevice[] {alice, bob, mallory, eve}) {
            assertTrue(d.dht().orElseThrow().published().get(BOUND, TimeUnit.SECONDS).succeeded(), d.instance());
        }
    }

    @AfterAll
    void stop() {
        for (LinkLocalDevice d : new LinkLocalDevice[] {alice, bob, mallory, eve}) {
            if (d != null) {
                d.close();
            }
        }
        nodes.forEach(DhtNode::close);
    }

    private static Message chat(String to, String body) throws Exception {
        return StanzaBuilder.buildMessage().to(JidCreate.from(to)).ofType(Message.Type.chat).setBody(body).build();
    }

    @Test
    void contactFoundOnlyInTheDhtGetsMessageAndIqOverADirectLinkAndAnswers() throws Exception {
        alice.send(chat(bobName, "found you in the DHT")).get(BOUND, TimeUnit.SECONDS);
        RecordingHandler.Received atBob = bobInbox.messages.poll(BOUND, TimeUnit.SECONDS);
        assertNotNull(atBob, "bob got nothing");
        assertEquals("found you in the DHT", atBob.message().getBody());
        assertEquals(DeliveryPath.DIRECT_LINK, atBob.arrival().path());
        assertTrue(atBob.arrival().protectedByE2e());
        assertEquals(aliceName, atBob.arrival().peer());

        IQ answer = alice.sendIq(new Version(JidCreate.from(bobName))).get(BOUND, TimeUnit.SECONDS);
        Version v = assertInstanceOf(Version.class, answer);
        assertEquals("xp2p-test", v.getName());
        assertEquals("DIRECT_LINK", v.getOs(), "bob's handler saw the iq arrive by another path");

        bob.send(chat(aliceName, "and back")).get(BOUND, TimeUnit.SECONDS);
        RecordingHandler.Received atAlice = aliceInbox.messages.poll(BOUND, TimeUnit.SECONDS);
        assertNotNull(atAlice, "alice got no answer");
        assertEquals("and back", atAlice.message().getBody());
        assertEquals(DeliveryPath.DIRECT_LINK, atAlice.arrival().path());
        assertTrue(atAlice.arrival().protectedByE2e());

        // nothing came through mDNS: it is off; bob is known by his signed record alone
        assertTrue(alice.peers().isEmpty());
        PeerInfo record = alice.dht().orElseThrow().peer(bobName).orElseThrow();
        assertEquals(PeerInfo.Source.DHT, record.source());
        assertEquals(List.of(new InetSocketAddress(lo, bob.port())), record.localEndpoints());
    }

    @Test
    void impostorWithBobsNameButItsOwnKeyIsRefusedAndBobStillGetsThrough() throws Exception {
        long refusedBefore = alice.dht().orElseThrow().stats().identitiesRefused();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> mallory.send(chat(aliceName, "it is me, bob")).get(BOUND, TimeUnit.SECONDS));
        assertTrue(e.toString().contains("cannot secure the link"), e.toString());
        assertTrue(e.toString().contains("not the one that signs its DHT record"), e.toString());
        assertTrue(alice.dht().orElseThrow().stats().identitiesRefused() > refusedBefore);

        // the refused claim did not disturb alice's session with the real bob
        bob.send(chat(aliceName, "still me")).get(BOUND, TimeUnit.SECONDS);
        RecordingHandler.Received got = aliceInbox.messages.poll(BOUND, TimeUnit.SECONDS);
        assertNotNull(got);
        while (!"still me".equals(got.message().getBody())) {
            got = aliceInbox.messages.poll(BOUND, TimeUnit.SECONDS);
            assertNotNull(got, "bob's message after the impostor never arrived");
            assertTrue(!got.message().getBody().contains("it is me"), "the impostor's message was delivered");
        }
        assertEquals(bobName, got.arrival().peer());
        assertNull(malloryInbox.messages.poll(0, TimeUnit.SECONDS));
    }

    @Test
    void impostorAnsweringAtTheAddressOfAContactsRecordIsRefusedByTheDialler() throws Exception {
        IdentityKey victimId = IdentityKey.generate(random);
        IdentityKey trudyId = IdentityKey.generate(random);
        LinkLocalDevice victim = LinkLocalDevice.builder("victor@" + s, lo).mdns(false).handler(new RecordingHandler())
                .protector(secured(victimId, aliceId)).dht(node(victimId)).start();
        int port = victim.port();
        assertTrue(victim.dht().orElseThrow().published().get(BOUND, TimeUnit.SECONDS).succeeded());
        victim.close(); // gone, but its signed record stays in the DHT for its lifetime
        // trudy takes victor's name, address and port; alice even allows trudy's key
        aliceGuard.allow(trudyId.publicKey());
        try (LinkLocalDevice trudy = LinkLocalDevice.builder("victor@" + s, lo)
                .linkConfig(org.xp2p.xmpp.link.LinkConfig.defaults(lo).withPort(port)).mdns(false)
                .handler(new RecordingHandler()).protector(secured(trudyId, aliceId)).dht(node(trudyId))
                .contact(aliceId.publicKey()).start()) {
            alice.dht().orElseThrow().addContact(victimId.publicKey());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> alice.send(chat("victor@" + s, "are you victor?")).get(BOUND, TimeUnit.SECONDS));
            assertTrue(e.toString().contains("not the one that signs its DHT record"), e.toString());
            assertEquals(port, trudy.port());
        }
    }

    @Test
    void contactWhoseKeyIsNotOnTheAllowListIsRefusedBothWays() throws Exception {
        ExecutionException dialled = assertThrows(ExecutionException.class,
                () -> alice.send(chat(eveName, "hello eve")).get(BOUND, TimeUnit.SECONDS));
        assertTrue(dialled.toString().contains("allow-list"), dialled.toString());
        // eve verified alice on that link before alice refused her: wait for it to be gone
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND);
        while ((eve.links().containsKey(aliceName) || alice.links().containsKey(eveName)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ExecutionException dialling = assertThrows(ExecutionException.class,
                () -> eve.send(chat(aliceName, "let me in")).get(BOUND, TimeUnit.SECONDS));
        assertTrue(dialling.toString().contains("allow-list"), dialling.toString());
    }

    @Test
    void streamClaimingAContactFromAnAddressItsRecordDoesNotListGetsInvalidFrom() throws Exception {
        alice.dht().orElseThrow().peer(bobName); // bob's record lists 127.0.0.1 only
        long refused = alice.dht().orElseThrow().stats().streamsRefused();
        long errors = alice.stats().streamErrorsSent();
        String reply = rawStream("127.0.0.2", bobName);
        assertTrue(reply.contains("invalid-from"), reply);
        assertEquals(refused + 1, alice.dht().orElseThrow().stats().streamsRefused());
        assertTrue(alice.stats().streamErrorsSent() > errors);
    }

    @Test
    void streamClaimingANameNoContactOwnsGetsInvalidFromWithMdnsOff() throws Exception {
        long refused = alice.dht().orElseThrow().stats().streamsRefused();
        String reply = rawStream("127.0.0.1", "nobody@" + s);
        assertTrue(reply.contains("invalid-from"), reply);
        assertEquals(refused + 1, alice.dht().orElseThrow().stats().streamsRefused());
    }

    @Test
    @Order(Integer.MAX_VALUE - 1)
    void newExternalEndpointIsRepublishedAndReachesContactsByThePeriodicRefresh() throws Exception {
        DhtPeers aliceDht = alice.dht().orElseThrow();
        assertTrue(aliceDht.peer(bobName).orElseThrow().externalEndpoint().isEmpty());
        // a host with a public address publishes it as both local and external
        InetSocketAddress external = new InetSocketAddress(lo, bob.port());
        bob.externalEndpoint(Optional.of(external));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND);
        // peer() never looks anything up: only alice's one-second refresh can bring the change
        while (!aliceDht.peer(bobName).orElseThrow().externalEndpoint().equals(Optional.of(external))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(Optional.of(external), aliceDht.peer(bobName).orElseThrow().externalEndpoint());
        alice.send(chat(bobName, "saw your new address")).get(BOUND, TimeUnit.SECONDS);
        RecordingHandler.Received got = bobInbox.messages.poll(BOUND, TimeUnit.SECONDS);
        while (got != null && !"saw your new address".equals(got.message().getBody())) {
            got = bobInbox.messages.poll(BOUND, TimeUnit.SECONDS);
        }
        assertNotNull(got);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it rotates bob's keys
    void e2eKeysOtherThanThoseOfTheSignedRecordAreRefusedAndRotatedKeysAreRepublished() throws Exception {
        DhtPeers aliceDht = alice.dht().orElseThrow();
        alice.send(chat(bobName, "before bob rotates")).get(BOUND, TimeUnit.SECONDS);
        awaitBody(bobInbox, "before bob rotates");
        org.xp2p.xmpp.link.Link open = alice.links().get(LinkLocalPeers.key(bobName));
        E2eElement bobsKeys = bobGuard.ourKeys();
        assertEquals(Optional.empty(), aliceDht.refusal(bobName, bobId.publicKey(), bobsKeys));
        E2eElement someoneElses = secured(bobId).ourKeys();
        assertTrue(aliceDht.refusal(bobName, bobId.publicKey(), someoneElses).orElseThrow()
                .contains("not those of its signed DHT record"));

        // bob rotates: his device publishes the new keys at once, and alice, seeing keys
        // that differ from the record she holds, looks it up again before judging
        long seqBefore = Long.parseLong(aliceDht.peer(bobName).orElseThrow().attributes().get("dht.seq"));
        CompletableFuture<PutResult> before = bob.dht().orElseThrow().published();
        bobEndpoint.ring().rotate();
        E2eElement rotated = bobGuard.ourKeys();
        assertTrue(!rotated.equals(bobsKeys));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND);
        while (bob.dht().orElseThrow().published() == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(bob.dht().orElseThrow().published().get(BOUND, TimeUnit.SECONDS).succeeded());
        assertEquals(Optional.empty(), aliceDht.refusal(bobName, bobId.publicKey(), rotated));
        assertTrue(Long.parseLong(aliceDht.peer(bobName).orElseThrow().attributes().get("dht.seq")) > seqBefore);
        assertTrue(aliceDht.refusal(bobName, bobId.publicKey(), bobsKeys).isPresent(), "old keys still accepted");

        // the open link re-synchronises: alice takes bob's new keys, which match his new
        // record, and both talk on, bob sealing with his new keys, on the same link
        while (!bobGuard.inSync(aliceName) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(bobGuard.inSync(aliceName), "bob's open link to alice did not re-synchronise");
        bob.send(chat(aliceName, "with my new keys")).get(BOUND, TimeUnit.SECONDS);
        awaitBody(aliceInbox, "with my new keys");
        alice.send(chat(bobName, "to your new keys")).get(BOUND, TimeUnit.SECONDS);
        awaitBody(bobInbox, "to your new keys");
        assertTrue(open == alice.links().get(LinkLocalPeers.key(bobName)), "alice's link to bob was replaced");
    }

    @Test
    void contactAlsoSeenByMdnsStaysLinkLocal() throws Exception {
        DhtNode carolNode = node(carolId);
        DhtNode daveNode = node(daveId);
        RecordingHandler daveInbox = new RecordingHandler();
        PresenceEvents carolSees = new PresenceEvents();
        PresenceEvents daveSees = new PresenceEvents();
        try (LinkLocalDevice dave = LinkLocalDevice.builder("dave@" + s, lo).handler(daveInbox).presenceListener(daveSees)
                .protector(secured(daveId, carolId)).dht(daveNode).contact(carolId.publicKey()).start();
             LinkLocalDevice carol = LinkLocalDevice.builder("carol@" + s, lo).handler(new RecordingHandler())
                     .presenceListener(carolSees).protector(secured(carolId, daveId)).dht(carolNode)
                     .contact(daveId.publicKey()).start()) {
            // the path is link-local when each browser has the other at that address as the link opens
            carolSees.await(dave.instance(), "added", java.time.Duration.ofSeconds(BOUND));
            daveSees.await(carol.instance(), "added", java.time.Duration.ofSeconds(BOUND));
            carol.send(chat(dave.instance(), "over the LAN")).get(BOUND, TimeUnit.SECONDS);
            RecordingHandler.Received got = daveInbox.messages.poll(BOUND, TimeUnit.SECONDS);
            assertNotNull(got);
            assertEquals(DeliveryPath.LINK_LOCAL, got.arrival().path());
            assertTrue(got.arrival().protectedByE2e());
        }
    }

    /** Skips messages left over from other tests until the one with {@code body} arrives. */
    private static void awaitBody(RecordingHandler inbox, String body) throws InterruptedException {
        RecordingHandler.Received got;
        do {
            got = inbox.messages.poll(BOUND, TimeUnit.SECONDS);
            assertNotNull(got, "no message \"" + body + "\" arrived");
        } while (!body.equals(got.message().getBody()));
    }

    /** Opens a stream to alice from {@code source} claiming {@code from}; returns what she sent back. */
    private String rawStream(String source, String from) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            socket.connect(new InetSocketAddress(lo, alice.port()), 5000);
            socket.setSoTimeout(200);
            socket.getOutputStream().write(("<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
                    + " xmlns:stream='http://etherx.jabber.org/streams' from='" + from + "' to='" + aliceName
                    + "' version='1.0'>").getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[4096];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND);
            while (System.nanoTime() < deadline && !got.toString(StandardCharsets.UTF_8).contains("</stream:stream>")) {
                try {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    got.write(buf, 0, n);
                } catch (SocketTimeoutException e) {
                    // poll again
                }
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }
}
