package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.record.PublicRecord;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.discovery.dht.wire.Message;
import org.xp2p.discovery.dht.wire.MessageCodec;
import org.xp2p.discovery.dht.wire.StoreStatus;

/**
 * 30 real UDP nodes on 127.0.0.1: cars publish public items, a monitor on another node
 * reads them by (owner key, topic), a newer item replaces the older everywhere it is
 * read, an older one is refused, and a stale copy is written back by a lookup.
 */
class PublicRecordsClusterTest {

    private static final int NODES = 30;
    private static final int CARS = 5;
    private static final long WAIT_SECONDS = 20;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void carsPublishItemsThatAMonitorReadsAndNewerSeqsReplaceOlderOnes() throws Exception {
        List<PublicRecords> cars = new ArrayList<>();
        try (LoopbackCluster cluster = LoopbackCluster.start(NODES, LoopbackCluster.testConfig().build(), 3)) {
            List<DhtNode> nodes = cluster.nodes;
            for (int i = 0; i < CARS; i++) {
                cars.add(new PublicRecords(nodes.get(NODES - 1 - i)));
            }
            for (int i = 0; i < CARS; i++) {
                PutResult r = cars.get(i).publish("traffic", utf8("car" + i + " speed=50 road=A7"))
                        .get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertTrue(r.stored() >= 10, "car " + i + " stored at only " + r);
            }
            PublicRecords monitor = new PublicRecords(nodes.get(0));
            for (int i = 0; i < CARS; i++) {
                PublicRecord got = monitor.read(cars.get(i).ownerKey(), "traffic").get(WAIT_SECONDS, TimeUnit.SECONDS)
                        .orElseThrow(() -> new AssertionError("item not found"));
                assertArrayEquals(utf8("car" + i + " speed=50 road=A7"), got.payload());
                assertArrayEquals(cars.get(i).ownerKey(), got.identityKey());
                assertEquals("traffic", got.topic());
                assertEquals(cars.get(i).lastSeq("traffic"), got.seq());
            }
            // Another topic of the same owner holds nothing.
            assertEquals(Optional.empty(),
                    monitor.read(cars.get(0).ownerKey(), "weather").get(WAIT_SECONDS, TimeUnit.SECONDS));

            // A new payload gets a higher seq and replaces the old one for every reader.
            PublicRecords car0 = cars.get(0);
            long firstSeq = car0.lastSeq("traffic");
            car0.publish("traffic", utf8("car0 speed=120 road=A9")).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(car0.lastSeq("traffic") > firstSeq);
            for (DhtNode reader : List.of(nodes.get(1), nodes.get(2), nodes.get(3))) {
                PublicRecord got = new PublicRecords(reader).read(car0.ownerKey(), "traffic")
                        .get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
                assertArrayEquals(utf8("car0 speed=120 road=A9"), got.payload());
                assertEquals(car0.lastSeq("traffic"), got.seq());
            }

            // The older item, replayed to a node holding the newer one, is refused by that node.
            NodeId key = PublicRecord.keyFor(car0.ownerKey(), "traffic");
            DhtNode holder = holderOf(nodes, key, car0.lastSeq("traffic"));
            NodeIdentity owner0 = nodes.get(NODES - 1).identity();
            SignedRecord older = SignedRecord.sign(new PublicRecord(owner0.publicKey(), "traffic", firstSeq,
                    System.currentTimeMillis(), System.currentTimeMillis() + 60_000, utf8("rollback")), owner0);
            try (RawPeer peer = new RawPeer(8, null)) {
                assertEquals("REJECTED_OLDER_SEQ", StoreStatus.describe(storeVia(peer, holder, key, older)));

                // A newer item that reached one node only is still what a lookup returns, and is written back.
                long now = System.currentTimeMillis();
                SignedRecord newest = SignedRecord.sign(new PublicRecord(owner0.publicKey(), "traffic",
                        car0.lastSeq("traffic") + 1000, now, now + 60_000, utf8("car0 speed=0 road=A9")), owner0);
                assertEquals("REPLACED", StoreStatus.describe(storeVia(peer, holder, key, newest)));
            }
            GetResult g = monitor.lookup(car0.ownerKey(), "traffic").get(WAIT_SECONDS, TimeUnit.SECONDS);
            PublicRecord seen = PublicRecords.itemOf(g).orElseThrow();
            assertArrayEquals(utf8("car0 speed=0 road=A9"), seen.payload());
            assertTrue(g.staleAnswers() >= 1, "no stale copy seen: " + g);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int holdersOfNewest;
            do {
                holdersOfNewest = 0;
                for (DhtNode n : nodes) {
                    Optional<SignedRecord> held = n.storedRecord(key).get(5, TimeUnit.SECONDS);
                    if (held.isPresent() && held.get().seq() == seen.seq()) {
                        holdersOfNewest++;
                    }
                }
            } while (holdersOfNewest < 2 && System.nanoTime() < deadline && sleep());
            assertTrue(holdersOfNewest >= 2, "the newest item was not written back: held at " + holdersOfNewest);

            // The same owner's presence record lives beside its items.
            PresenceMirror mirror = new PresenceMirror(nodes.get(NODES - 1));
            mirror.publish(UdpClusterTest.presence(0, nodes.get(NODES - 1).localAddress()))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            Optional<PeerInfo> p = new PresenceMirror(nodes.get(4)).lookup(car0.ownerKey())
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals("device0@example.org/dht", p.orElseThrow().jid());
            mirror.close();

            // Bad arguments are refused at the call.
            assertThrows(IllegalArgumentException.class, () -> car0.publish("x".repeat(33), new byte[1]));
            assertThrows(IllegalArgumentException.class,
                    () -> car0.publish("traffic", new byte[PublicRecord.MAX_PAYLOAD_OCTETS + 1]));
            assertThrows(IllegalArgumentException.class, () -> monitor.read(new byte[31], "traffic"));
            for (DhtNode n : nodes) {
                assertTrue(n.stats().maxSentOctets() <= MessageCodec.MAX_DATAGRAM_OCTETS,
                        n + " sent a datagram of " + n.stats().maxSentOctets() + " octets");
            }
            cars.forEach(PublicRecords::close);
            monitor.close();
        }
        assertEquals(List.of(), LoopbackCluster.liveDhtThreads());
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }

    private static DhtNode holderOf(List<DhtNode> nodes, NodeId key, long seq) throws Exception {
        for (DhtNode n : nodes) {
            Optional<SignedRecord> held = n.storedRecord(key).get(5, TimeUnit.SECONDS);
            if (held.isPresent() && held.get().seq() == seq) {
                return n;
            }
        }
        throw new AssertionError("no node holds seq " + seq + " under " + key);
    }

    /** Stores {@code record} at {@code node} the way any peer would: token from FIND_VALUE, then STORE. */
    static int storeVia(RawPeer peer, DhtNode node, NodeId key, SignedRecord record) throws Exception {
        return storeRaw(peer, node, key, record.encoded());
    }

    static int storeRaw(RawPeer peer, DhtNode node, NodeId key, byte[] record) throws Exception {
        peer.send(node.localAddress(), new Message.FindValue(key));
        byte[] token = ((Message.Value) peer.receive(Message.Value.class).message()).token();
        peer.send(node.localAddress(), new Message.Store(key, token, record));
        return ((Message.StoreAck) peer.receive(Message.StoreAck.class).message()).status();
    }
}
