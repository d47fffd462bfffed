package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bucket rules: k per bucket, long-lived contacts kept, per-subnet limits, failures evict. */
class RoutingTableTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final NodeId SELF = NodeId.random(RANDOM);

    /** A contact in the far half (bucket 0) with an address in the given /24. */
    private static Contact farContact(String subnet, int host) {
        while (true) {
            NodeIdentity id = NodeIdentity.generate(RANDOM, 0);
            if (SELF.commonPrefixLength(id.id()) == 0) {
                return id.asContact(new InetSocketAddress(subnet + "." + host, 4000));
            }
        }
    }

    @Test
    void aFullBucketKeepsItsLongLivedContactsAndQueuesNewcomers() {
        RoutingTable t = new RoutingTable(SELF, 20, SubnetPolicy.STANDARD, 2, 100);
        List<Contact> first = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Contact c = farContact("10.0." + i, 1);
            assertTrue(t.add(c, 1000));
            first.add(c);
        }
        Contact newcomer = farContact("10.1.0", 1);
        assertFalse(t.hasRoomFor(newcomer));
        assertFalse(t.add(newcomer, 2000));
        t.offerReplacement(newcomer);
        assertEquals(20, t.size());
        assertTrue(t.all().containsAll(first));
        // The old contact must fail twice in a row before it goes; then the newcomer can be taken.
        assertFalse(t.failed(first.get(3).id(), 2));
        t.seen(first.get(3).id(), 3000);
        assertFalse(t.failed(first.get(3).id(), 2));
        assertTrue(t.failed(first.get(3).id(), 2));
        assertEquals(newcomer, t.takeReplacement(t.bucketIndex(newcomer.id())).orElseThrow());
        assertTrue(t.add(newcomer, 4000));
    }

    @Test
    void aFewContactsPerSubnetAtMost() {
        RoutingTable t = new RoutingTable(SELF, 20, SubnetPolicy.STANDARD, 2, 3);
        assertTrue(t.add(farContact("192.0.2", 1), 0));
        assertTrue(t.add(farContact("192.0.2", 2), 0));
        assertFalse(t.add(farContact("192.0.2", 3), 0), "a third contact of one /24 in one bucket");
        // The table-wide limit (3 here) applies across buckets too.
        NodeIdentity near;
        do {
            near = NodeIdentity.generate(RANDOM, 0);
        } while (SELF.commonPrefixLength(near.id()) != 1);
        assertTrue(t.add(near.asContact(new InetSocketAddress("192.0.2.9", 1)), 0));
        NodeIdentity near2;
        do {
            near2 = NodeIdentity.generate(RANDOM, 0);
        } while (SELF.commonPrefixLength(near2.id()) != 1);
        assertFalse(t.add(near2.asContact(new InetSocketAddress("192.0.2.10", 1)), 0));
        assertTrue(t.add(near2.asContact(new InetSocketAddress("198.51.100.10", 1)), 0));
    }

    @Test
    void loopbackPortsCountAsSubnetsOnlyUnderTheTestPolicy() {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 4000);
        InetSocketAddress b = new InetSocketAddress("127.0.0.1", 4001);
        assertEquals(SubnetPolicy.STANDARD.subnetOf(a), SubnetPolicy.STANDARD.subnetOf(b));
        assertFalse(SubnetPolicy.LOOPBACK_PER_PORT.subnetOf(a).equals(SubnetPolicy.LOOPBACK_PER_PORT.subnetOf(b)));
        InetSocketAddress v6a = new InetSocketAddress("2001:db8:1:2::1", 1);
        InetSocketAddress v6b = new InetSocketAddress("2001:db8:1:3::1", 1);
        InetSocketAddress v6c = new InetSocketAddress("2001:db8:2:2::1", 1);
        assertEquals(SubnetPolicy.STANDARD.subnetOf(v6a), SubnetPolicy.STANDARD.subnetOf(v6b));
        assertFalse(SubnetPolicy.STANDARD.subnetOf(v6a).equals(SubnetPolicy.STANDARD.subnetOf(v6c)));
    }

    @Test
    void closestIsOrderedByXorDistance() {
        RoutingTable t = new RoutingTable(SELF, 20, SubnetPolicy.STANDARD, 20, 1000);
        for (int i = 0; i < 200; i++) {
            NodeIdentity id = NodeIdentity.generate(RANDOM, 0);
            t.add(id.asContact(new InetSocketAddress("10." + (i / 250) + "." + (i % 250) + ".1", 1)), 0);
        }
        NodeId target = NodeId.random(RANDOM);
        List<Contact> c = t.closest(target, 20, x -> false);
        for (int i = 1; i < c.size(); i++) {
            assertTrue(target.compareDistance(c.get(i - 1).id(), c.get(i).id()) <= 0);
        }
        for (Contact other : t.all()) {
            if (!c.contains(other)) {
                assertTrue(target.compareDistance(c.get(c.size() - 1).id(), other.id()) <= 0);
            }
        }
    }
}
