package org.xp2p.xmpp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.schemas.smack.SynchE2eIq;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.direct.DirectLinkConfig;
import org.xp2p.xmpp.link.LinkConfig;
import org.xp2p.xmpp.routing.Delivery;
import org.xp2p.xmpp.routing.Response;
import org.xp2p.xmpp.routing.RouterConfig;

/**
 * Devices against a real Prosody on loopback, each device's links on its own loopback
 * address (127.0.0.1 alice, 127.0.0.2 bob; carol uses the broker only): subscription,
 * keys and endpoints in presence, encrypted messages and iqs over direct links and over
 * the broker, refusals of intruders, 10,000 messages across link cuts, broker restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerAndDirectLinksTest {
    private static final long WAIT = 30;

    private static ProsodyServer prosody;
    private static Device alice;
    private static Device bob;
    private static Device carol;
    private static final RecordingHandler aliceInbox = new RecordingHandler();
    private static final RecordingHandler bobInbox = new RecordingHandler();
    private static final RecordingHandler carolInbox = new RecordingHandler();
    private static XMPPTCPConnection mallory;

    @BeforeAll
    static void devices() throws Exception {
        prosody = ProsodyServer.startOnLoopback();
        for (String user : List.of("alice", "bob", "carol", "mallory")) {
            Accounts.register(prosody.address(), prosody.port(), user);
        }
        BareJid a = JidCreate.bareFrom("alice@localhost");
        BareJid b = JidCreate.bareFrom("bob@localhost");
        BareJid c = JidCreate.bareFrom("carol@localhost");
        alice = device("alice", "127.0.0.1", SubscriptionPolicy.autoAcceptFrom(Set.of(b, c)), aliceInbox, true);
        bob = device("bob", "127.0.0.2", SubscriptionPolicy.allowList(Set.of(a)), bobInbox, true);
        carol = device("carol", null, SubscriptionPolicy.allowList(Set.of(a)), carolInbox, false);
        bob.subscribe(a);
        carol.subscribe(a);
        Waits.until("alice and bob see each other's <p2p/> and <e2e/>", WAIT,
                () -> knows(alice, bob) && knows(bob, alice), BrokerAndDirectLinksTest::log);
        Waits.until("alice and carol see each other's <e2e/>", WAIT,
                () -> alice.peer(carol.jid().toString()).flatMap(p -> p.e2eKeys()).isPresent()
                        && carol.peer(alice.jid().toString()).flatMap(p -> p.e2eKeys()).isPresent(),
                BrokerAndDirectLinksTest::log);
    }

    static Device device(String user, String address, SubscriptionPolicy policy, RecordingHandler inbox, boolean direct)
            throws Exception {
        Device.Builder b = Device.builder(Accounts.config(prosody.address(), prosody.port(), user))
                .subscriptions(policy)
                .handler(inbox)
                .router(RouterConfig.defaults().withTimes(Duration.ofSeconds(5), Duration.ofSeconds(8),
                        Duration.ofSeconds(120), Duration.ofSeconds(1)));
        if (direct) {
            LinkConfig link = new LinkConfig(InetAddress.getByName(address), 0, LinkConfig.DEFAULT_MAX_STANZA_BYTES,
                    Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1));
            b.directLinks(DirectLinkConfig.on(InetAddress.getByName(address)).withLink(link));
        }
        return b.start();
    }

    /** Whether {@code who} has {@code of}'s current keys and endpoints from presence. */
    static boolean knows(Device who, Device of) {
        return who.peer(of.jid().toString())
                .filter(p -> p.e2eKeys().isPresent() && p.e2eKeys().get().equals(of.e2e().e2eElement()))
                .filter(p -> p.externalEndpoint().equals(java.util.Optional.of(of.endpoints().external())))
                .isPresent();
    }

    static String log() {
        return "Prosody log tail:\n" + tail(prosody.log());
    }

    static String tail(String s) {
        return s.length() < 3000 ? s : s.substring(s.length() - 3000);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {alice, bob, carol}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
        if (mallory != null) {
            mallory.disconnect();
        }
        if (prosody != null) {
            prosody.close();
        }
    }

    static Message message(Device to, String body) {
        return StanzaBuilder.buildMessage().to(to.jid()).setBody(body).build();
    }

    @Test
    @Order(1)
    void contactsPublishKeysAndEndpointsAndSeeEachOthers() {
        P2pElement bobs = alice.peer(bob.jid().toString()).map(p -> P2pElement.of(p.externalEndpoint().orElseThrow(),
                p.localEndpoints().get(0))).orElseThrow();
        assertEquals(bob.endpoints(), bobs);
        assertEquals("127.0.0.2", bobs.locIp());
        assertEquals(alice.e2e().e2eElement(), bob.peer(alice.jid().toString()).orElseThrow().e2eKeys().orElseThrow());
        assertTrue(carol.peer(alice.jid().toString()).orElseThrow().externalEndpoint().isPresent());
        assertTrue(alice.peer(carol.jid().toString()).orElseThrow().externalEndpoint().isEmpty(),
                "carol has no direct links, so she publishes no <p2p/>");
    }

    @Test
    @Order(2)
    void messagesAndIqsTakeTheDirectLinkEncryptedBothWays() throws Exception {
        Delivery d = alice.send(message(bob, "hello over the link")).get(WAIT, TimeUnit.SECONDS);
        assertEquals(DeliveryPath.DIRECT_LINK, d.path());
        RecordingHandler.Received r = bobInbox.await(m -> "hello over the link".equals(m.message().getBody()), WAIT);
        assertEquals(DeliveryPath.DIRECT_LINK, r.arrival().path());
        assertTrue(r.arrival().protectedByE2e());
        assertEquals(alice.jid().toString(), r.arrival().peer());

        Response answer = bob.request(new Ping(alice.jid())).get(WAIT, TimeUnit.SECONDS);
        assertEquals(IQ.Type.result, answer.iq().getType());
        assertEquals(DeliveryPath.DIRECT_LINK, answer.path());
        assertTrue(aliceInbox.iqs().stream().anyMatch(a -> a.path() == DeliveryPath.DIRECT_LINK && a.protectedByE2e()));
        assertTrue(alice.link(bob.jid().toString()).isPresent());
    }

    @Test
    @Order(3)
    void withoutADirectLinkTheBrokerCarriesEncryptedStanzas() throws Exception {
        Delivery d = alice.send(message(carol, "via prosody")).get(WAIT, TimeUnit.SECONDS);
        assertEquals(DeliveryPath.BROKER, d.path());
        RecordingHandler.Received r = carolInbox.await(m -> "via prosody".equals(m.message().getBody()), WAIT);
        assertEquals(DeliveryPath.BROKER, r.arrival().path());
        assertTrue(r.arrival().protectedByE2e());
        Response answer = carol.request(new Ping(alice.jid())).get(WAIT, TimeUnit.SECONDS);
        assertEquals(IQ.Type.result, answer.iq().getType());
        assertEquals(DeliveryPath.BROKER, answer.path());
    }

    @Test
    @Order(4)
    void anIntruderWithAnAccountButNoSubscriptionIsRefused() throws Exception {
        mallory = Accounts.login(prosody.address(), prosody.port(), "mallory", "dev");
        mallory.sendStanza(mallory.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available)
                .addExtension(new P2pElement("127.0.0.9", 5999, "127.0.0.9", 5999)).build());
        org.jivesoftware.smack.roster.Roster.getInstanceFor(mallory)
                .createItemAndRequestSubscription(alice.jid().asBareJid(), "alice", null);
        Waits.until("alice holds mallory's request for approval", WAIT,
                () -> alice.pendingSubscriptions().contains(mallory.getUser().asBareJid()));
        long refusedBefore = alice.stats().linksRefused();
        try (RawStream s = new RawStream("127.0.0.9", aliceLinkServer())) {
            s.header(mallory.getUser().toString(), alice.jid().toString());
            String got = s.readToEnd(WAIT);
            assertTrue(got.contains("<invalid-from"), got);
            assertTrue(s.closedByPeer());
        }
        assertEquals(refusedBefore + 1, alice.stats().linksRefused());

        // Bob's allow-list names only alice: mallory's request is denied outright.
        java.util.concurrent.BlockingQueue<Presence> answers = new java.util.concurrent.LinkedBlockingQueue<>();
        mallory.addAsyncStanzaListener(s -> answers.add((Presence) s), s -> s instanceof Presence p
                && p.getType() == Presence.Type.unsubscribed && bob.jid().asBareJid().equals(p.getFrom().asBareJid()));
        org.jivesoftware.smack.roster.Roster.getInstanceFor(mallory)
                .createItemAndRequestSubscription(bob.jid().asBareJid(), "bob", null);
        assertTrue(answers.poll(WAIT, TimeUnit.SECONDS) != null, "bob denies mallory's subscription");
        assertTrue(bob.pendingSubscriptions().isEmpty());

        // Nor does mallory get alice's keys and endpoints by asking for them.
        SynchE2eIq ask = new SynchE2eIq(null, null);
        ask.setTo(alice.jid());
        IQ reply = mallory.createStanzaCollectorAndSend(ask).nextResult(WAIT * 1000);
        assertEquals(IQ.Type.error, reply.getType());
        assertEquals(StanzaError.Condition.forbidden, reply.getError().getCondition());
    }

    @Test
    @Order(5)
    void aSubscribedContactConnectingFromTheWrongAddressIsRefused() throws Exception {
        long refusedBefore = alice.stats().linksRefused();
        try (RawStream s = new RawStream("127.0.0.3", aliceLinkServer())) {
            s.header(bob.jid().toString(), alice.jid().toString());
            String got = s.readToEnd(WAIT);
            assertTrue(got.contains("<invalid-from"), got);
        }
        assertEquals(refusedBefore + 1, alice.stats().linksRefused());
    }

    @Test
    @Order(6)
    void plaintextOnAnAuthenticatedLinkIsRefusedWithAStanzaError() throws Exception {
        long before = alice.stats().plaintextRefused();
        try (RawStream s = new RawStream("127.0.0.2", aliceLinkServer())) {
            s.header(bob.jid().toString(), alice.jid().toString());
            assertTrue(s.readUntil("<stream:features", WAIT).contains("<stream:features"), s.text());
            s.write("<message id='plain1' to='" + alice.jid() + "'><body>unencrypted</body></message>");
            s.write("<iq type='get' id='plain2' to='" + alice.jid() + "'><ping xmlns='urn:xmpp:ping'/></iq>");
            String got = s.readUntil("forbidden", WAIT);
            assertTrue(got.contains("id='plain2'") || got.contains("id=\"plain2\""), got);
            assertTrue(got.contains("forbidden"), got);
            assertFalse(s.closedByPeer(), "a stanza-level fault keeps the link");
        }
        assertEquals(before + 2, alice.stats().plaintextRefused());
        assertTrue(aliceInbox.messages().stream().noneMatch(m -> "unencrypted".equals(m.message().getBody())));
    }

    @Test
    @Order(6)
    void aForgedSignatureInABurstIsRejectedAloneWhileTheSignaturesAroundItAreCheckedInBatches() throws Exception {
        org.xp2p.e2e.PeerKeys alicesKeys = bob.e2e().peerKeys(alice.e2e().e2eElement());
        org.xp2p.e2e.E2eStats.Snapshot before = alice.e2e().stats().snapshot();
        long rejectedBefore = alice.stats().e2eRejected();
        aliceInbox.clear();
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            Message sealed = bob.e2e().encrypt(message(alice, "burst:" + i), bob.jid(), alicesKeys);
            burst.append(i == 17 ? withSignatureAltered(sealed) : sealed.toXML().toString());
        }
        try (RawStream s = new RawStream("127.0.0.2", aliceLinkServer())) {
            s.header(bob.jid().toString(), alice.jid().toString());
            assertTrue(s.readUntil("<stream:features", WAIT).contains("<stream:features"), s.text());
            s.write(burst.toString()); // at once, so that they wait for the decryption pool together
            Waits.until("39 genuine messages delivered", WAIT, () -> aliceInbox.messages().size() >= 39);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i != 17) {
                expected.add("burst:" + i);
            }
        }
        assertEquals(expected, aliceInbox.messages().stream().map(r -> r.message().getBody()).toList());
        assertEquals(rejectedBefore + 1, alice.stats().e2eRejected(), "the forged one, once, and only it");
        assertEquals(before.rejected(org.xp2p.e2e.RejectReason.BAD_SIGNATURE) + 1,
                alice.e2e().stats().snapshot().rejected(org.xp2p.e2e.RejectReason.BAD_SIGNATURE));
        org.xp2p.e2e.E2eStats.Snapshot after = alice.e2e().stats().snapshot();
        long checks = after.signatureBatches() - before.signatureBatches();
        long signatures = after.batchedSignatures() - before.batchedSignatures();
        assertEquals(40, signatures, "every signature of the burst was deferred to a batch check");
        assertTrue(checks < signatures, "signatures were checked together: " + checks + " checks for " + signatures);
    }

    /** The stanza's XML with one bit of the signature's S flipped: it still decrypts, but does not verify. */
    private static String withSignatureAltered(Message sealed) {
        org.xp2p.schemas.smack.EncryptedElement e = org.xp2p.schemas.smack.EncryptedElement.in(sealed).orElseThrow();
        byte[] signature = e.signature().clone();
        signature[40] ^= 1;
        return StanzaBuilder.buildMessage(sealed.getStanzaId()).to(sealed.getTo())
                .addExtension(new org.xp2p.schemas.smack.EncryptedElement(e.cipher(), e.keyType(), e.counter(),
                        e.wrappedKey(), signature, e.ciphertext()))
                .build().toXML().toString();
    }

    @Test
    @Order(7)
    void anApprovedContactSynchronisesKeys() throws Exception {
        SynchE2eIq answer = bob.synchronizeKeys(alice.jid().toString()).get(WAIT, TimeUnit.SECONDS);
        assertEquals(alice.e2e().e2eElement(), answer.e2e().orElseThrow());
        assertEquals(alice.endpoints(), answer.p2p().orElseThrow());
    }

    @Test
    @Order(7)
    void aPeerThatCannotDecryptARequestMakesUsResynchroniseKeysAndRetryOnce() throws Exception {
        // Bob believes in keys alice never had (as after missing her rotations).
        org.xp2p.e2e.LocalKeyRing strangers = new org.xp2p.e2e.LocalKeyRing(
                List.of(org.xp2p.schemas.KeyType.ED25519, org.xp2p.schemas.KeyType.X25519, org.xp2p.schemas.KeyType.P256),
                128, new java.security.SecureRandom());
        bob.directory().put(org.xp2p.discovery.PeerInfo.builder(alice.jid().toString(),
                org.xp2p.discovery.PeerInfo.Source.SYNCH_E2E, java.time.Instant.now())
                .e2eKeys(strangers.e2eElement(Device.defaultPolicy().preferredCiphers())).build());
        long rejectedBefore = alice.stats().e2eRejected();

        Response answer = bob.request(new Ping(alice.jid())).get(WAIT, TimeUnit.SECONDS);
        assertEquals(IQ.Type.result, answer.iq().getType());
        assertEquals(2, answer.attempts(), "one failed attempt, one retry after synchE2e");
        assertEquals(rejectedBefore + 1, alice.stats().e2eRejected());
        assertEquals(alice.e2e().e2eElement(), bob.peer(alice.jid().toString()).orElseThrow().e2eKeys().orElseThrow());
    }

    @Test
    @Order(7)
    void messagesSignedWithKeysWeDoNotKnowYetWaitForSynchE2eAndArriveInOrder() throws Exception {
        // Bob holds two generations of keys alice never had (current and previous), as if he
        // had missed her real presence: her messages do not verify with either.
        for (int g = 0; g < 2; g++) {
            org.xp2p.e2e.LocalKeyRing strangers = new org.xp2p.e2e.LocalKeyRing(
                    List.of(org.xp2p.schemas.KeyType.ED25519, org.xp2p.schemas.KeyType.X25519,
                            org.xp2p.schemas.KeyType.P256), 128, new java.security.SecureRandom());
            bob.directory().put(org.xp2p.discovery.PeerInfo.builder(alice.jid().toString(),
                    org.xp2p.discovery.PeerInfo.Source.SYNCH_E2E, java.time.Instant.now().plusMillis(g))
                    .e2eKeys(strangers.e2eElement(Device.defaultPolicy().preferredCiphers())).build());
        }
        long heldBefore = bob.stats().heldForKeys();
        bobInbox.clear();
        List<CompletableFuture<Delivery>> sends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sends.add(alice.send(message(bob, "held:" + i)));
        }
        for (CompletableFuture<Delivery> f : sends) {
            f.get(WAIT, TimeUnit.SECONDS);
        }
        List<String> bodies = bobInbox.messages().stream().map(r -> r.message().getBody()).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("held:" + i);
        }
        assertEquals(expected, bodies);
        assertTrue(bob.stats().heldForKeys() > heldBefore, "bob held messages until synchE2e: " + bob.stats());
        assertEquals(alice.e2e().e2eElement(), bob.peer(alice.jid().toString()).orElseThrow().e2eKeys().orElseThrow());
    }

    @Test
    @Order(8)
    void tenThousandMessagesArriveExactlyOnceInOrderPerPathAcrossLinkCuts() throws Exception {
        bobInbox.clear();
        long retransmittedBefore = alice.stats().routing().retransmitted();
        long duplicatesBefore = bob.stats().duplicatesDropped();
        int total = 10_000;
        Semaphore window = new Semaphore(500);
        List<CompletableFuture<Delivery>> sends = new ArrayList<>(total);
        // Each cut kills the live link with stanzas in flight, from the sender's or the
        // receiver's side: gracefully (closing handshake) or abruptly (TCP reset, no stream
        // end, possibly mid-stanza, as a crash would).
        Map<Integer, Cut> cuts = Map.of(1_500, Cut.SENDER_CLOSES, 3_000, Cut.SENDER_ABORTS, 4_500, Cut.RECEIVER_ABORTS,
                6_000, Cut.RECEIVER_CLOSES, 7_500, Cut.SENDER_ABORTS, 9_000, Cut.RECEIVER_ABORTS);
        long linksBefore = alice.stats().routing().linksOpened();
        for (int i = 0; i < total; i++) {
            Cut cut = cuts.get(i);
            if (cut != null) {
                Device side = cut.bySender ? alice : bob;
                String other = (cut.bySender ? bob : alice).jid().toString();
                Waits.until("a link is up to cut (" + cut + " at " + i + ")", WAIT, () -> side.link(other).isPresent());
                org.xp2p.xmpp.link.Link l = side.link(other).orElseThrow();
                if (cut.abrupt) {
                    l.abort("cut by the test");
                } else {
                    l.close("cut by the test");
                }
            }
            window.acquire();
            CompletableFuture<Delivery> f = alice.send(message(bob, Integer.toString(i)));
            f.whenComplete((v, e) -> window.release());
            sends.add(f);
        }
        Map<DeliveryPath, Integer> confirmedBy = new EnumMap<>(DeliveryPath.class);
        for (CompletableFuture<Delivery> f : sends) {
            confirmedBy.merge(f.get(120, TimeUnit.SECONDS).path(), 1, Integer::sum);
        }
        bobInbox.awaitCount(total, 60);
        Thread.sleep(500); // late duplicates, if any were let through, would show up now
        List<RecordingHandler.Received> got = bobInbox.messages();
        assertEquals(total, got.size(), "each message exactly once");
        Set<Integer> distinct = new HashSet<>();
        Map<DeliveryPath, Integer> lastPerPath = new EnumMap<>(DeliveryPath.class);
        for (RecordingHandler.Received r : got) {
            int n = Integer.parseInt(r.message().getBody());
            assertTrue(distinct.add(n), "message " + n + " delivered twice");
            Integer last = lastPerPath.put(r.arrival().path(), n);
            assertTrue(last == null || last < n, "on " + r.arrival().path() + ", " + n + " came after " + last);
            assertTrue(r.arrival().protectedByE2e());
        }
        // Stanzas unconfirmed when their link was cut were sent again over the broker; each
        // such retransmission reached bob and was either delivered (if the link had lost it)
        // or dropped by id (if its first copy had arrived): it is accounted for on bob's side.
        long retransmitted = alice.stats().routing().retransmitted() - retransmittedBefore;
        long brokerArrivals = got.stream().filter(r -> r.arrival().path() == DeliveryPath.BROKER).count();
        assertTrue(retransmitted > 0 && confirmedBy.getOrDefault(DeliveryPath.BROKER, 0) > 0,
                "the cuts left stanzas in flight: " + confirmedBy + ", " + alice.stats());
        // a retransmission may still be on its way when the original's receipt completed the send
        Waits.until("every retransmission reached bob", WAIT,
                () -> brokerArrivals + bob.stats().duplicatesDropped() - duplicatesBefore >= retransmitted,
                () -> "retransmitted " + retransmitted + ", new over the broker " + brokerArrivals + ", duplicates "
                        + (bob.stats().duplicatesDropped() - duplicatesBefore) + "; alice " + alice.stats());
        assertTrue(confirmedBy.getOrDefault(DeliveryPath.DIRECT_LINK, 0) > 0, "the link carried messages: " + confirmedBy);
        assertTrue(alice.stats().routing().linksOpened() - linksBefore >= cuts.size(),
                "a new link after each cut: " + alice.stats());
    }

    private enum Cut {
        SENDER_CLOSES(true, false), SENDER_ABORTS(true, true), RECEIVER_CLOSES(false, false),
        RECEIVER_ABORTS(false, true);

        final boolean bySender;
        final boolean abrupt;

        Cut(boolean bySender, boolean abrupt) {
            this.bySender = bySender;
            this.abrupt = abrupt;
        }
    }

    @Test
    @Order(9)
    void aBrokerConnectionDroppedMidStreamLosesNothingAndKeepsTheOrder() throws Exception {
        List<CompletableFuture<Delivery>> sends = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            if (i == 150) {
                carol.dropBrokerConnection(); // TCP gone without a goodbye; queued stanzas with it
            }
            sends.add(carol.send(message(alice, "drop:" + i)));
        }
        for (CompletableFuture<Delivery> f : sends) {
            assertEquals(DeliveryPath.BROKER, f.get(110, TimeUnit.SECONDS).path());
        }
        assertEquals(IntStream.range(0, 400).boxed().toList(), aliceInbox.numbersAfter("drop:"),
                "each once, in order");
    }

    /**
     * carol sends to alice while alice's broker connection is down and after it is back.
     * alice's presence went with the connection, and her keys with it: carol must wait for
     * her, not fail for want of keys (nor send what Prosody would keep offline or return);
     * once alice is back, with new keys, everything arrives once and in order.
     */
    @Test
    @Order(9)
    void messagesToAContactAwayFromTheBrokerWaitForItAndKeepTheirOrder() throws Exception {
        long errorsBefore = errorMessages(carolInbox);
        alice.dropBrokerConnection(); // back after about 200 ms, with new keys
        List<CompletableFuture<Delivery>> sends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sends.add(carol.send(message(alice, "away:" + i)));
            Thread.sleep(5); // past alice's return
        }
        for (CompletableFuture<Delivery> f : sends) {
            assertEquals(DeliveryPath.BROKER, f.get(60, TimeUnit.SECONDS).path());
        }
        assertEquals(IntStream.range(0, 100).boxed().toList(), aliceInbox.numbersAfter("away:"),
                "each once, in order");
        assertEquals(errorsBefore, errorMessages(carolInbox), "the broker's bounces are the router's, not the application's");
    }

    private static long errorMessages(RecordingHandler inbox) {
        return inbox.messages().stream().filter(r -> r.message().getType() == Message.Type.error).count();
    }

    @Test
    @Order(9)
    void messagesSentDuringABrokerOutageArriveOnceAndInOrderWhenItReturns() throws Exception {
        prosody.stop();
        Waits.until("carol and alice notice the outage", WAIT, () -> !carol.online() && !alice.online());
        List<CompletableFuture<Delivery>> sends = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sends.add(carol.send(message(alice, "outage:" + i)));
        }
        prosody.startAgain();
        for (CompletableFuture<Delivery> f : sends) {
            assertEquals(DeliveryPath.BROKER, f.get(110, TimeUnit.SECONDS).path());
        }
        assertEquals(IntStream.range(0, 50).boxed().toList(), aliceInbox.numbersAfter("outage:"),
                "each once, in order, although both ends rotated their keys on reconnection");
    }

    @Test
    @Order(10)
    void afterABrokerRestartBothReconnectRepublishAndKeepWorking() throws Exception {
        prosody.restart();
        Waits.until("both devices are back online", 60, () -> alice.online() && bob.online() && carol.online(),
                BrokerAndDirectLinksTest::log);
        Waits.until("each sees the other's new keys", 60, () -> knows(alice, bob) && knows(bob, alice),
                BrokerAndDirectLinksTest::log);
        Waits.until("alice sees carol's new keys", 60, () -> alice.peer(carol.jid().toString())
                .flatMap(p -> p.e2eKeys()).filter(k -> k.equals(carol.e2e().e2eElement())).isPresent());
        assertTrue(alice.e2e().ring().current().number() > 1, "keys rotate on reconnection");

        Delivery direct = alice.send(message(bob, "after restart")).get(WAIT, TimeUnit.SECONDS);
        assertTrue(direct.path() == DeliveryPath.DIRECT_LINK || direct.path() == DeliveryPath.BROKER);
        bobInbox.await(m -> "after restart".equals(m.message().getBody()), WAIT);
        Delivery viaBroker = carol.send(message(alice, "carol after restart")).get(WAIT, TimeUnit.SECONDS);
        assertEquals(DeliveryPath.BROKER, viaBroker.path());
        aliceInbox.await(m -> "carol after restart".equals(m.message().getBody()), WAIT);
        Response answer = bob.request(new Ping(alice.jid())).get(WAIT, TimeUnit.SECONDS);
        assertInstanceOf(IQ.class, answer.iq());
        assertEquals(IQ.Type.result, answer.iq().getType());
    }

    @Test
    @Order(11)
    void aNewPortMappingIsPublishedAndItsLossWithdrawsIt() throws Exception {
        InetAddress external = InetAddress.getByName("203.0.113.5");
        org.xp2p.upnp.Mapping mapping = new org.xp2p.upnp.Mapping(org.xp2p.upnp.MappingMethod.PCP,
                org.xp2p.upnp.Protocol.TCP, InetAddress.getByName("127.0.0.1"), alice.endpoints().locPort(), external,
                40000, Duration.ofHours(1), java.time.Instant.now().plusSeconds(3600), InetAddress.getByName("127.0.0.1"));
        org.xp2p.upnp.MappingStatus reachable = new org.xp2p.upnp.MappingStatus(org.xp2p.upnp.MappingState.REACHABLE,
                mapping, List.of(), java.time.Instant.now());
        org.xp2p.upnp.MappingStatus gone = new org.xp2p.upnp.MappingStatus(org.xp2p.upnp.MappingState.NO_GATEWAY, null,
                List.of("no gateway"), java.time.Instant.now());
        alice.portMappingListener().changed(null, gone, reachable);
        Waits.until("bob sees alice's mapped endpoint", WAIT, () -> bob.peer(alice.jid().toString())
                .flatMap(p -> p.externalEndpoint()).equals(java.util.Optional.of(new InetSocketAddress(external, 40000))));
        alice.portMappingListener().changed(null, reachable, gone);
        Waits.until("bob sees alice's own address again", WAIT, () -> bob.peer(alice.jid().toString())
                .flatMap(p -> p.externalEndpoint()).equals(java.util.Optional.of(alice.endpoints().local())));
    }

    @Test
    @Order(13)
    void aManuallyApprovedContactIsAnsweredWhereItWasRefusedBefore() throws Exception {
        if (!mallory.isAuthenticated()) {
            mallory.disconnect();
            mallory = Accounts.login(prosody.address(), prosody.port(), "mallory", "dev");
        }
        BareJid m = mallory.getUser().asBareJid();
        Waits.until("mallory's request still waits for alice's decision", WAIT,
                () -> alice.pendingSubscriptions().contains(m));
        alice.approve(m);
        assertFalse(alice.pendingSubscriptions().contains(m));
        Waits.until("mallory is subscribed to alice", WAIT,
                () -> org.jivesoftware.smack.roster.Roster.getInstanceFor(mallory).iAmSubscribedTo(alice.jid().asBareJid()));
        SynchE2eIq ask = new SynchE2eIq(null, null);
        ask.setTo(alice.jid());
        IQ reply = mallory.createStanzaCollectorAndSend(ask).nextResult(WAIT * 1000);
        assertEquals(IQ.Type.result, reply.getType(), "an approved contact gets alice's keys");
        assertEquals(alice.e2e().e2eElement(), ((SynchE2eIq) reply).e2e().orElseThrow());
    }

    @Test
    @Order(14)
    void closeStopsEveryThreadAndLinkTheDevicesStarted() throws Exception {
        List<String> acceptThreads = List.of("xp2p-link-accept-" + alice.endpoints().locPort(),
                "xp2p-link-accept-" + bob.endpoints().locPort());
        alice.close();
        bob.close();
        carol.close();
        Waits.until("no device, link or accept thread of alice, bob or carol is left", WAIT,
                () -> ourThreads(acceptThreads).isEmpty(), () -> "left: " + ourThreads(acceptThreads));
    }

    private static List<String> ourThreads(List<String> acceptThreads) {
        List<String> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (t.isAlive() && (n.startsWith("xp2p-alice-") || n.startsWith("xp2p-bob-") || n.startsWith("xp2p-carol-")
                    || n.contains("bob@localhost/dev") || n.contains("alice@localhost/dev") || acceptThreads.contains(n))) {
                left.add(n);
            }
        }
        return left;
    }

    private static InetSocketAddress aliceLinkServer() {
        return alice.endpoints().local();
    }
}
