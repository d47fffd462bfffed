package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.wire.MessageCodec;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.PublishedKey;

/** 200 real UDP nodes on 127.0.0.1: presence records are published, found, and survive half the nodes dying. */
class UdpClusterTest {

    private static final int NODES = 200;
    private static final int PUBLISHERS = 20;

    @Test
    void recordsArePublishedFoundAndSurviveHalfTheNodesDying() throws Exception {
        Random random = new Random(7);
        List<PresenceMirror> mirrors = new ArrayList<>();
        try (LoopbackCluster cluster = LoopbackCluster.start(NODES, LoopbackCluster.testConfig().build(), 7)) {
            List<DhtNode> nodes = cluster.nodes;
            for (DhtNode n : nodes) {
                assertTrue(n.routingTableSize().get(5, TimeUnit.SECONDS) >= 20,
                        n + " has a thin routing table after bootstrap");
            }
            List<DhtNode> publishers = nodes.subList(NODES - PUBLISHERS, NODES);
            List<CompletableFuture<PutResult>> puts = new ArrayList<>();
            for (int i = 0; i < PUBLISHERS; i++) {
                PresenceMirror m = new PresenceMirror(publishers.get(i));
                mirrors.add(m);
                puts.add(m.publish(presence(i, publishers.get(i).localAddress())));
            }
            for (CompletableFuture<PutResult> p : puts) {
                PutResult r = p.get(30, TimeUnit.SECONDS);
                assertTrue(r.stored() >= 10, "publish stored at only " + r);
            }
            // Every record is found, with the content it was published with, from a node that did not publish it.
            for (int i = 0; i < PUBLISHERS; i++) {
                DhtNode asker = nodes.get(random.nextInt(NODES - PUBLISHERS));
                Optional<PeerInfo> found = new PresenceMirror(asker).lookup(publishers.get(i).identity().publicKey())
                        .get(30, TimeUnit.SECONDS);
                assertTrue(found.isPresent(), "record " + i + " not found");
                assertEquals("device" + i + "@example.org/dht", found.get().jid());
                assertEquals(PeerInfo.Source.DHT, found.get().source());
                assertEquals(List.of(new InetSocketAddress("192.168.1." + (i + 10), 5222)),
                        found.get().localEndpoints());
                assertEquals(Long.toString(mirrors.get(i).lastSeq()), found.get().attributes().get("dht.seq"));
            }
            // Kill half of the nodes at once (publishers included); lookups from the survivors still succeed.
            List<DhtNode> shuffled = new ArrayList<>(nodes);
            Collections.shuffle(shuffled, random);
            List<DhtNode> dead = shuffled.subList(0, NODES / 2);
            List<DhtNode> alive = shuffled.subList(NODES / 2, NODES);
            dead.forEach(DhtNode::close);
            int foundAfter = 0;
            for (int i = 0; i < PUBLISHERS; i++) {
                DhtNode asker = alive.get(random.nextInt(alive.size()));
                Optional<PeerInfo> found = new PresenceMirror(asker).lookup(publishers.get(i).identity().publicKey())
                        .get(60, TimeUnit.SECONDS);
                if (found.isPresent() && found.get().jid().equals("device" + i + "@example.org/dht")) {
                    foundAfter++;
                }
            }
            assertEquals(PUBLISHERS, foundAfter, "records found after half the nodes died");
            // The lookup saw the record at several nodes, not at one lucky holder.
            GetResult again = alive.get(0).get(PresenceMirror.keyOf(publishers.get(0).identity().publicKey()))
                    .get(60, TimeUnit.SECONDS);
            assertTrue(again.holders() >= 3, "record held by only " + again.holders() + " of the queried nodes");
            for (DhtNode n : nodes) {
                assertTrue(n.stats().maxSentOctets() <= MessageCodec.MAX_DATAGRAM_OCTETS,
                        n + " sent a datagram of " + n.stats().maxSentOctets() + " octets");
            }
        }
        // close() stopped every socket reader and loop thread.
        assertEquals(List.of(), LoopbackCluster.liveDhtThreads());
    }

    static PresenceMirror.Presence presence(int i, InetSocketAddress dhtAddress) {
        byte[] x = new byte[32];
        x[0] = (byte) i;
        return new PresenceMirror.Presence(List.of("device" + i + "@example.org/dht"),
                List.of(new InetSocketAddress("192.168.1." + (i + 10), 5222)),
                Optional.of(new InetSocketAddress("203.0.113." + (i + 1), 40000 + i)),
                E2eElement.of(List.of(new PublishedKey(KeyType.X25519, x))));
    }
}
