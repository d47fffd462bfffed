package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.discovery.dht.wire.DropReason;
import org.xp2p.discovery.dht.wire.Message;

/**
 * Private network mode over real loopback UDP: an allow-list of identity keys, or a
 * network pre-shared key whose MAC every datagram carries; contact offers admit a new
 * peer; client-only nodes use the network without entering tables; floods are rate limited.
 */
class PrivateNetworkTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        assertEquals(List.of(), LoopbackCluster.liveDhtThreads());
    }

    private DhtNode node(DhtConfig config, NodeIdentity id) throws Exception {
        DhtNode n = DhtNode.openUdp(config, id, new InetSocketAddress(LoopbackCluster.LOOPBACK, 0));
        open.add(n);
        return n;
    }

    private static NodeIdentity identity() {
        return NodeIdentity.generate(RANDOM, 8);
    }

    private static SignedRecord recordOf(DhtNode n) {
        long now = System.currentTimeMillis();
        return SignedRecord.sign(SignedRecord.presence(n.identity().publicKey(), new byte[0], now, now, now + 3_600_000,
                List.of("p@example.org/x"), List.of(), Optional.empty(),
                org.xp2p.schemas.smack.E2eElement.of(List.of())), n.identity());
    }

    @Test
    void allowListKeepsStrangersOutAndAContactOfferLetsANewPeerIn() throws Exception {
        NodeIdentity a = identity();
        NodeIdentity b = identity();
        NodeIdentity c = identity();
        AllowList listAB = new AllowList();
        listAB.add(a.publicKey());
        listAB.add(b.publicKey());
        AllowList listB = new AllowList();
        listB.add(a.publicKey());
        listB.add(b.publicKey());
        AllowList listC = new AllowList();
        DhtNode nodeA = node(LoopbackCluster.testConfig().allowList(listAB).build(), a);
        DhtNode nodeB = node(LoopbackCluster.testConfig().allowList(listB).build(), b);
        DhtNode nodeC = node(LoopbackCluster.testConfig().allowList(listC).build(), c);
        DhtNode stranger = node(LoopbackCluster.testConfig().build(), identity());

        assertEquals(1, nodeB.bootstrap(List.of(nodeA.localAddress())).get(10, TimeUnit.SECONDS));
        // The stranger is not on A's list: A does not even answer it.
        assertEquals(0, stranger.bootstrap(List.of(nodeA.localAddress())).get(10, TimeUnit.SECONDS));
        assertTrue(nodeA.stats().dropped(DropReason.NOT_ALLOWED) > 0);
        // A record of an allowed key goes around; the stranger's record would not be stored by anyone.
        SignedRecord rb = recordOf(nodeB);
        assertTrue(nodeB.put(rb).get(10, TimeUnit.SECONDS).succeeded());
        assertEquals(rb, nodeA.get(rb.key()).get(10, TimeUnit.SECONDS).record().orElseThrow());

        // C hands A an offer out of band and A hands C one: each imports the other's.
        ContactOffer offerC = ContactOffer.create(c, "c@example.org/x", List.of(nodeC.localAddress()),
                System.currentTimeMillis());
        ContactOffer offerA = ContactOffer.create(a, "a@example.org/x", List.of(nodeA.localAddress()),
                System.currentTimeMillis());
        // A imports first: C does not know A yet and stays silent, but A now admits C.
        assertEquals(Optional.empty(), nodeA.importOffer(ContactOffer.parse(offerC.armoured())).get(10, TimeUnit.SECONDS));
        assertTrue(listAB.contains(c.publicKey()));
        // C imports A's offer: A answers C's challenge now, and a second import on A's side succeeds too.
        assertEquals(Optional.of(a.asContact(nodeA.localAddress())),
                nodeC.importOffer(ContactOffer.parse(offerA.armoured())).get(10, TimeUnit.SECONDS));
        assertEquals(Optional.of(c.asContact(nodeC.localAddress())),
                nodeA.importOffer(ContactOffer.parse(offerC.armoured())).get(10, TimeUnit.SECONDS));
        assertTrue(listAB.contains(c.publicKey()));
        SignedRecord rc = recordOf(nodeC);
        assertTrue(nodeC.put(rc).get(10, TimeUnit.SECONDS).succeeded());
        assertEquals(rc, nodeA.get(rc.key()).get(10, TimeUnit.SECONDS).record().orElseThrow());
    }

    @Test
    void networkKeyMacsEveryDatagramAndOutsidersAreDropped() throws Exception {
        byte[] psk = new byte[32];
        RANDOM.nextBytes(psk);
        byte[] wrong = psk.clone();
        wrong[0] ^= 1;
        DhtNode a = node(LoopbackCluster.testConfig().networkKey(psk).build(), identity());
        DhtNode b = node(LoopbackCluster.testConfig().networkKey(psk).build(), identity());
        DhtNode outsider = node(LoopbackCluster.testConfig().networkKey(wrong).build(), identity());
        DhtNode open = node(LoopbackCluster.testConfig().build(), identity());
        assertEquals(1, b.bootstrap(List.of(a.localAddress())).get(10, TimeUnit.SECONDS));
        assertEquals(0, outsider.bootstrap(List.of(a.localAddress())).get(10, TimeUnit.SECONDS));
        assertEquals(0, open.bootstrap(List.of(a.localAddress())).get(10, TimeUnit.SECONDS));
        assertTrue(a.stats().dropped(DropReason.BAD_MAC) >= 2, a.stats().toString());
        SignedRecord r = recordOf(b);
        assertTrue(b.put(r).get(10, TimeUnit.SECONDS).succeeded());
        assertEquals(r, a.storedRecord(r.key()).get(5, TimeUnit.SECONDS).orElseThrow());
    }

    @Test
    void clientOnlyNodePublishesAndLooksUpButEntersNoTable() throws Exception {
        List<DhtNode> servers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            servers.add(node(LoopbackCluster.testConfig().build(), identity()));
        }
        for (int i = 1; i < servers.size(); i++) {
            servers.get(i).bootstrap(List.of(servers.get(0).localAddress())).get(10, TimeUnit.SECONDS);
        }
        DhtNode client = node(LoopbackCluster.testConfig().clientOnly(true).build(), identity());
        assertTrue(client.bootstrap(List.of(servers.get(3).localAddress())).get(10, TimeUnit.SECONDS) > 0);
        SignedRecord r = recordOf(client);
        assertTrue(client.put(r).get(10, TimeUnit.SECONDS).succeeded());
        assertEquals(r, servers.get(5).get(r.key()).get(10, TimeUnit.SECONDS).record().orElseThrow());
        SignedRecord s = recordOf(servers.get(6));
        servers.get(6).put(s).get(10, TimeUnit.SECONDS);
        assertEquals(s, client.get(s.key()).get(10, TimeUnit.SECONDS).record().orElseThrow());
        for (DhtNode d : servers) {
            for (Contact c : d.contacts().get(5, TimeUnit.SECONDS)) {
                assertTrue(!c.id().equals(client.id()), d + " took the client-only node into its table");
            }
        }
    }

    @Test
    void aFloodFromOneAddressIsRateLimitedWhileOthersAreServed() throws Exception {
        DhtNode n = node(LoopbackCluster.testConfig().rateLimit(20, 40).build(), identity());
        try (RawPeer flooder = new RawPeer(8, null); RawPeer polite = new RawPeer(8, null)) {
            for (int i = 0; i < 400; i++) {
                flooder.send(n.localAddress(), new Message.FindNode(n.id()));
            }
            polite.roundTrip(n.localAddress());
            assertTrue(n.stats().dropped(DropReason.RATE_LIMITED) >= 300, n.stats().toString());
        }
    }
}
