package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.discovery.dht.sim.HostileNode;
import org.xp2p.discovery.dht.sim.SimDht;
import org.xp2p.discovery.dht.wire.MessageCodec;
import org.xp2p.schemas.smack.E2eElement;

/**
 * The real node logic in the in-process simulator (virtual time, latency, loss): hop
 * counts stay within the Kademlia bound, lookups succeed under churn, and attackers placed
 * next to target keys never get a forged, squatted or rolled-back record accepted.
 * Counts only; timing is the benchmark's business.
 */
class SimulationTest {

    static DhtConfig simConfig() {
        return DhtConfig.builder().puzzleDifficultyBits(4).timeoutMillis(50, 2000).build();
    }

    static SignedRecord record(DhtNode owner, long seq, String host) {
        long now = owner.loop().currentTimeMillis();
        return SignedRecord.sign(SignedRecord.presence(owner.identity().publicKey(), new byte[0], seq, now,
                now + PresenceMirror.LIFETIME_MILLIS, List.of(owner.id().hex().substring(0, 8) + "@example.org/sim"),
                List.of(new InetSocketAddress(host, 5222)), Optional.empty(), E2eElement.of(List.of())),
                owner.identity());
    }

    @Test
    void lookupsFindEveryRecordWithinTheHopBound() {
        int n = 500;
        SimDht sim = new SimDht(simConfig(), 11, 5, 40, 0.0);
        sim.grow(n, 50);
        // The simulated network filters nothing: every AUTO node must have found out it can serve,
        // within one retry of a round whose helpers were all busy (their dial-back limit) during a join wave.
        sim.loop().advance(10_000);
        long serving = sim.live().stream().filter(DhtNode::servesOthers).count();
        assertEquals(n, serving, "AUTO nodes serving after the join");
        List<SignedRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            DhtNode owner = sim.live().get(i * (n / 20));
            SignedRecord r = record(owner, 1, "10.9.0." + i);
            PutResult put = sim.await(owner.put(r));
            assertTrue(put.stored() >= 11, "publish " + i + " stored at " + put);
            records.add(r);
        }
        int gets = 200;
        int found = 0;
        long hopSum = 0;
        int maxHops = 0;
        for (int i = 0; i < gets; i++) {
            SignedRecord want = records.get(i % records.size());
            DhtNode asker = sim.live().get(sim.random().nextInt(n));
            GetResult g = sim.await(asker.get(want.key()));
            if (g.record().isPresent() && g.record().get().sameBytes(want)) {
                found++;
                hopSum += g.hops();
                maxHops = Math.max(maxHops, g.hops());
            }
        }
        double mean = (double) hopSum / found;
        double bound = Math.log(n) / Math.log(2) / (Math.log(20) / Math.log(2)) + 1;
        System.out.printf("N=%d found %d/%d mean hops %.2f (bound %.2f) max %d (bound %d) maxDatagram %d%n", n, found,
                gets, mean, bound, maxHops, (int) Math.ceil(Math.log(n) / Math.log(2)), sim.network().maxDatagramOctets());
        assertEquals(gets, found);
        assertTrue(mean <= bound, "mean hops " + mean + " above " + bound);
        assertTrue(maxHops <= Math.ceil(Math.log(n) / Math.log(2)), "max hops " + maxHops);
        assertTrue(sim.network().maxDatagramOctets() <= MessageCodec.MAX_DATAGRAM_OCTETS);
        sim.close();
    }

    @Test
    void hostileNodesNextToTargetKeysNeverGetABadRecordAccepted() {
        int n = 400;
        int targets = 4;
        SimDht sim = new SimDht(simConfig(), 12, 5, 40, 0.0);
        sim.grow(n, 50);
        int hostilePerTarget = n / 10 / targets;
        int prefix = (int) Math.ceil(Math.log((double) n / 20) / Math.log(2));
        List<DhtNode> owners = new ArrayList<>();
        List<SignedRecord> newest = new ArrayList<>();
        List<HostileNode> attackers = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            DhtNode owner = sim.live().get(1 + t * (n / targets));
            owners.add(owner);
            SignedRecord v1 = record(owner, 100, "10.1.0.1");
            NodeId key = v1.key();
            // The attackers' bad records: v1 for a rollback, a forged v2 and a squat under the owner's key.
            byte[] forged = v1.encoded();
            forged[forged.length - 70] ^= 4;
            for (int h = 0; h < hostilePerTarget; h++) {
                HostileNode a = sim.addHostileNear(key, prefix);
                attackers.add(a);
                DhtNode squatterSeed = sim.live().get(0);
                SignedRecord squat = record(squatterSeed, 999_999, "10.66.6.6");
                a.serve(key, new HostileNode.Payloads(List.of(v1.encoded(), forged, squat.encoded())));
            }
            assertTrue(sim.await(owner.put(v1)).succeeded());
        }
        List<org.xp2p.discovery.dht.Contact> all = attackers.stream().map(HostileNode::contact).toList();
        for (HostileNode a : attackers) {
            a.fellows(all);
            a.introduceTo(sim.closestHonest(a.id(), 40));
        }
        sim.loop().advance(10_000);
        // Owners publish v2; then the attackers push their records into the honest nodes around the key.
        for (int t = 0; t < targets; t++) {
            SignedRecord v2 = record(owners.get(t), 200, "10.2.0.2");
            newest.add(v2);
            assertTrue(sim.await(owners.get(t).put(v2)).succeeded());
        }
        for (int t = 0; t < targets; t++) {
            for (HostileNode a : attackers) {
                a.pushTo(sim.closestHonest(newest.get(t).key(), 30), newest.get(t).key());
            }
        }
        sim.loop().advance(10_000);

        int gets = 300;
        int newestFound = 0;
        int rolledBack = 0;
        int invalidSeen = 0;
        for (int i = 0; i < gets; i++) {
            int t = i % targets;
            DhtNode asker = sim.live().get(sim.random().nextInt(sim.live().size()));
            GetResult g = sim.await(asker.get(newest.get(t).key()));
            invalidSeen += g.invalidAnswers();
            if (g.record().isPresent()) {
                SignedRecord got = g.record().get();
                // Whatever came back verified under the owner's key: forgeries and squats never win.
                assertTrue(java.util.Arrays.equals(owners.get(t).identity().publicKey(), got.record().identityKey()));
                if (got.sameBytes(newest.get(t))) {
                    newestFound++;
                } else {
                    rolledBack++;
                }
            }
        }
        // Honest stores: every record held under a target key is the owner's, and v2 was never replaced by v1.
        for (DhtNode d : sim.live()) {
            for (int t = 0; t < targets; t++) {
                Optional<SignedRecord> held = sim.await(d.storedRecord(newest.get(t).key()));
                if (held.isPresent()) {
                    assertTrue(java.util.Arrays.equals(owners.get(t).identity().publicKey(),
                            held.get().record().identityKey()));
                }
            }
        }
        long served = attackers.stream().mapToLong(HostileNode::badRecordsServed).sum();
        System.out.printf("hostile: newest %d/%d, rolled back %d, invalid answers seen %d, bad records served %d%n",
                newestFound, gets, rolledBack, invalidSeen, served);
        assertTrue(served > 0, "the attackers were never asked: the test proves nothing");
        assertTrue(invalidSeen > 0, "no forged or squatted record reached a lookup: the test proves nothing");
        assertEquals(0, rolledBack, "a rolled-back record won a lookup");
        assertEquals(gets, newestFound);
        sim.close();
    }

    @Test
    void lookupsSucceedUnderChurn() {
        int n = 300;
        SimDht sim = new SimDht(simConfig(), 13, 5, 40, 0.01);
        sim.grow(n, 50);
        // Stable owners publish through the presence mirror, which republishes before expiry.
        List<DhtNode> owners = new ArrayList<>(sim.live().subList(0, 10));
        List<PresenceMirror> mirrors = new ArrayList<>();
        for (DhtNode o : owners) {
            PresenceMirror m = new PresenceMirror(o);
            mirrors.add(m);
            sim.await(m.publish(new PresenceMirror.Presence(List.of("o@example.org/x"), List.of(), Optional.empty(),
                    E2eElement.of(List.of()))));
        }
        // Median session 30 min: exponential lifetimes with mean 30/ln 2 min. Every 10 s of virtual
        // time, each churning node leaves with the matching probability and a fresh node joins.
        double leavePer10s = 1 - Math.exp(-10.0 / (30 * 60 / Math.log(2)));
        int gets = 0;
        int ok = 0;
        int stale = 0;
        for (int step = 0; step < 240; step++) {
            List<DhtNode> churners = new ArrayList<>(sim.live());
            churners.removeAll(owners);
            for (DhtNode d : churners) {
                if (sim.random().nextDouble() < leavePer10s) {
                    sim.kill(d);
                    DhtNode fresh = sim.addNode();
                    List<InetSocketAddress> seeds = new ArrayList<>();
                    for (int s = 0; s < 3; s++) {
                        seeds.add(sim.live().get(sim.random().nextInt(sim.live().size() - 1)).localAddress());
                    }
                    fresh.bootstrap(seeds);
                }
            }
            sim.loop().advance(10_000);
            if (step % 6 == 0) {
                int o = sim.random().nextInt(owners.size());
                DhtNode asker = sim.live().get(sim.random().nextInt(sim.live().size()));
                GetResult g = sim.await(asker.get(PresenceMirror.keyOf(owners.get(o).identity().publicKey())));
                gets++;
                if (g.record().isPresent()) {
                    ok++;
                    if (g.record().get().seq() < mirrors.get(o).lastSeq()) {
                        stale++;
                    }
                }
            }
        }
        System.out.printf("churn: %d/%d found, %d stale, network %d live%n", ok, gets, stale, sim.live().size());
        assertTrue(ok >= gets * 0.95, ok + " of " + gets + " lookups succeeded under churn");
        sim.close();
    }
    @Test
    void nodesBehindNatsStayClientsOutOfEveryTableYetPublishAndLookUp() {
        SimDht sim = new SimDht(simConfig(), 23, 5, 40, 0.0);
        sim.grow(120, 40);
        List<DhtNode> natted = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            DhtNode n = sim.addNodeBehindNat();
            natted.add(n);
            sim.join(n, 3);
        }
        sim.loop().advance(10_000);
        assertTrue(sim.network().filtered() > 0, "the NAT filters never dropped a probe");
        Set<NodeId> nattedIds = new HashSet<>();
        for (DhtNode n : natted) {
            assertTrue(!n.servesOthers(), n + " behind a NAT believes it serves");
            assertTrue(sim.await(n.routingTableSize()) > 0, n + " has no contacts to query");
            nattedIds.add(n.id());
        }
        for (DhtNode d : sim.live()) {
            if (!nattedIds.contains(d.id())) {
                assertTrue(d.servesOthers(), d + " is reachable yet does not serve");
            }
            for (Contact c : sim.await(d.contacts())) {
                assertTrue(!nattedIds.contains(c.id()), d + " took a node behind a NAT into its table");
            }
        }
        int found = 0;
        for (int i = 0; i < 10; i++) {
            DhtNode owner = natted.get(i);
            SignedRecord r = record(owner, 1, "10.8.0." + i);
            assertTrue(sim.await(owner.put(r)).succeeded(), "publish from behind a NAT");
            DhtNode asker = sim.live().get(sim.random().nextInt(120));
            if (sim.await(asker.get(r.key())).record().filter(r::sameBytes).isPresent()) {
                found++;
            }
            DhtNode server = sim.live().get(i);
            SignedRecord s = record(server, 1, "10.7.0." + i);
            sim.await(server.put(s));
            if (sim.await(natted.get(29 - i).get(s.key())).record().filter(s::sameBytes).isPresent()) {
                found++;
            }
        }
        assertEquals(20, found);
        sim.close();
    }
}
