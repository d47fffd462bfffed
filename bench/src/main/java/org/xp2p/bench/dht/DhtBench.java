package org.xp2p.bench.dht;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.xp2p.discovery.dht.Contact;
import org.xp2p.discovery.dht.DhtConfig;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.GetResult;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.discovery.dht.PresenceMirror;
import org.xp2p.discovery.dht.PutResult;
import org.xp2p.discovery.dht.SubnetPolicy;
import org.xp2p.discovery.dht.record.RecordStore;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.discovery.dht.sim.HostileNode;
import org.xp2p.discovery.dht.sim.SimDht;
import org.xp2p.discovery.dht.wire.Datagram;
import org.xp2p.discovery.dht.wire.Message;
import org.xp2p.discovery.dht.wire.MessageCodec;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * Measures the DHT against the targets table of shared/spec/dht.md and prints each figure
 * beside its target; writes bench/results/dht.csv. Real-UDP parts use 127.0.0.1 only
 * (the network rule); the rest runs the real node logic in the virtual-time simulator.
 *
 * <p>Run (about 30 min on 2 cores; needs about 6 GB of heap for the 10,000-node simulation):
 * <pre>
 * mvn -o -q -pl discovery install -DskipTests &amp;&amp; mvn -o -q -pl bench compile
 * mvn -o -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench-cp.txt
 * java -Xmx8g -cp bench/target/classes:$(cat /tmp/bench-cp.txt) org.xp2p.bench.dht.DhtBench \
 *      [--quick] [--only=hops,publish,failure,churn,hostile,udp,stores,sizes,memory] [CSV path]
 * </pre>
 * {@code --quick} simulates 2,000 instead of 10,000 nodes for the largest hop count. Each
 * part prints its figure beside the target and whether it was met.
 */
public final class DhtBench {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<String[]> rows = new ArrayList<>();
    private long maxDatagram;
    private int maxRecord;

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        String only = Arrays.stream(args).filter(a -> a.startsWith("--only=")).map(a -> a.substring(7)).findFirst()
                .orElse("hops,publish,failure,churn,hostile,udp,stores,sizes,memory");
        List<String> parts = Arrays.asList(only.split(","));
        DhtBench b = new DhtBench();
        if (parts.contains("hops")) {
            b.hops(1000);
            b.hops(quick ? 2000 : 10_000);
        }
        if (parts.contains("publish")) b.publishTime(1000);
        if (parts.contains("failure")) b.massFailureSim(1000);
        if (parts.contains("churn")) b.churn(1000);
        if (parts.contains("hostile")) b.hostile(1000);
        if (parts.contains("udp")) b.udp(200);
        if (parts.contains("stores")) b.verifiedStores();
        if (parts.contains("sizes")) b.sizes();
        if (parts.contains("memory")) b.memory();
        b.write(Path.of(args.length > 0 && !args[args.length - 1].startsWith("--") ? args[args.length - 1]
                : "bench/results/dht.csv"));
    }

    private void row(String metric, String target, String measured, boolean pass) {
        rows.add(new String[] {metric, target, measured, pass ? "yes" : "NO"});
        System.out.printf("%-58s %-22s %-30s %s%n", metric, target, measured, pass ? "ok" : "MISSED");
    }

    private static DhtConfig simConfig() {
        // The puzzle is cheap here so that 10,000 identities build in seconds; its cost does not change routing.
        return DhtConfig.builder().puzzleDifficultyBits(4).timeoutMillis(50, 2000).build();
    }

    private static SignedRecord record(DhtNode owner, long seq, String host) {
        long now = owner.loop().currentTimeMillis();
        return SignedRecord.sign(SignedRecord.presence(owner.identity().publicKey(), new byte[0], seq, now,
                now + PresenceMirror.LIFETIME_MILLIS, List.of(owner.id().hex().substring(0, 8) + "@example.org/bench"),
                List.of(new InetSocketAddress(host, 5222)), Optional.of(new InetSocketAddress("203.0.113.7", 40000)),
                E2eElement.of(List.of(new PublishedKey(KeyType.X25519, new byte[32])))), owner.identity());
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.isEmpty() ? Double.NaN : s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100 * s.size()) - 1));
    }

    private SimDht build(int n, long seed, double loss) {
        long t0 = System.nanoTime();
        SimDht sim = new SimDht(simConfig(), seed, 5, 50, loss);
        sim.grow(n, 100);
        System.out.printf("  (simulated N=%d built in %.1f s wall, %d events)%n", n, (System.nanoTime() - t0) / 1e9,
                sim.loop().eventsRun());
        return sim;
    }

    private List<SignedRecord> publishSome(SimDht sim, int count, List<Double> publishMillis) {
        List<SignedRecord> out = new ArrayList<>();
        List<DhtNode> shuffled = new ArrayList<>(sim.live());
        Collections.shuffle(shuffled, sim.random());
        for (int i = 0; i < count; i++) {
            DhtNode owner = shuffled.get(i);
            SignedRecord r = record(owner, 1, "10.9." + (i / 250) + "." + (i % 250));
            maxRecord = Math.max(maxRecord, r.size());
            long t0 = sim.loop().currentTimeMillis();
            PutResult p = sim.await(owner.put(r));
            if (publishMillis != null) {
                publishMillis.add((double) (sim.loop().currentTimeMillis() - t0));
            }
            if (p.succeeded()) {
                out.add(r);
            }
        }
        return out;
    }

    void hops(int n) {
        SimDht sim = build(n, 100 + n, 0.0);
        List<SignedRecord> records = publishSome(sim, 50, null);
        int gets = 1000;
        int found = 0;
        long sum = 0;
        int max = 0;
        for (int i = 0; i < gets; i++) {
            SignedRecord want = records.get(i % records.size());
            GetResult g = sim.await(sim.live().get(sim.random().nextInt(n)).get(want.key()));
            if (g.record().isPresent() && g.record().get().sameBytes(want)) {
                found++;
                sum += g.hops();
                max = Math.max(max, g.hops());
            }
        }
        double bound = Math.log(n) / Math.log(20) + 1;
        int maxBound = (int) Math.ceil(Math.log(n) / Math.log(2));
        double mean = (double) sum / Math.max(1, found);
        row("lookup hops, simulated N=" + n + ", mean", String.format("<= %.2f", bound),
                String.format("%.2f (%d/%d found)", mean, found, gets), mean <= bound && found == gets);
        row("lookup hops, simulated N=" + n + ", max", "<= " + maxBound, Integer.toString(max), max <= maxBound);
        maxDatagram = Math.max(maxDatagram, sim.network().maxDatagramOctets());
        sim.close();
    }

    void publishTime(int n) {
        SimDht sim = build(n, 7, 0.0);
        List<Double> ms = new ArrayList<>();
        publishSome(sim, 200, ms);
        double p50 = percentile(ms, 50);
        row("publish (find k closest + store), N=" + n + ", p50", "<= 250 ms",
                String.format("%.0f ms (p99 %.0f, 5-50 ms one-way)", p50, percentile(ms, 99)), p50 <= 250);
        maxDatagram = Math.max(maxDatagram, sim.network().maxDatagramOctets());
        sim.close();
    }

    void massFailureSim(int n) {
        SimDht sim = build(n, 8, 0.0);
        List<SignedRecord> records = publishSome(sim, 100, null);
        sim.killFraction(0.5);
        int gets = 1000;
        int ok = 0;
        for (int i = 0; i < gets; i++) {
            SignedRecord want = records.get(i % records.size());
            GetResult g = sim.await(sim.live().get(sim.random().nextInt(sim.live().size())).get(want.key()));
            if (g.record().isPresent() && g.record().get().sameBytes(want)) {
                ok++;
            }
        }
        double pct = 100.0 * ok / gets;
        row("GET success right after half die, simulated N=" + n, ">= 99 %", String.format("%.1f %%", pct),
                pct >= 99);
        sim.close();
    }

    void churn(int n) {
        SimDht sim = build(n, 9, 0.01);
        List<DhtNode> owners = new ArrayList<>(sim.live().subList(0, 20));
        List<PresenceMirror> mirrors = new ArrayList<>();
        for (DhtNode o : owners) {
            PresenceMirror m = new PresenceMirror(o);
            mirrors.add(m);
            sim.await(m.publish(presence(o, 0)));
        }
        double leavePer10s = 1 - Math.exp(-10.0 / (30 * 60 / Math.log(2)));
        int gets = 0;
        int ok = 0;
        int stale = 0;
        int left = 0;
        // Three virtual hours; owners change address every 20 minutes (a republish on change).
        for (int step = 0; step < 3 * 360; step++) {
            List<DhtNode> churners = new ArrayList<>(sim.live());
            churners.removeAll(owners);
            for (DhtNode d : churners) {
                if (sim.random().nextDouble() < leavePer10s) {
                    sim.kill(d);
                    left++;
                    DhtNode fresh = sim.addNode();
                    List<InetSocketAddress> seeds = new ArrayList<>();
                    for (int s = 0; s < 3; s++) {
                        seeds.add(sim.live().get(sim.random().nextInt(sim.live().size() - 1)).localAddress());
                    }
                    fresh.bootstrap(seeds);
                }
            }
            if (step % 120 == 60) {
                for (int o = 0; o < owners.size(); o++) {
                    mirrors.get(o).publish(presence(owners.get(o), step));
                }
            }
            sim.loop().advance(10_000);
            for (int q = 0; q < 2; q++) {
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
        double pct = 100.0 * ok / gets;
        double stalePct = 100.0 * stale / gets;
        row("GET success under churn (median session 30 min), N=" + n, ">= 98 %",
                String.format("%.1f %% (%d GETs, %d departures)", pct, gets, left), pct >= 98);
        row("stale records under churn", "<= 1 %", String.format("%.2f %%", stalePct), stalePct <= 1);
        sim.close();
    }

    private static PresenceMirror.Presence presence(DhtNode o, int version) {
        return new PresenceMirror.Presence(List.of("owner@example.org/x"),
                List.of(new InetSocketAddress("192.168." + (version % 250) + ".7", 5222)), Optional.empty(),
                E2eElement.of(List.of(new PublishedKey(KeyType.X25519, new byte[32]))));
    }

    void hostile(int n) {
        SimDht sim = build(n, 10, 0.0);
        int targets = 10;
        int perTarget = n / 10 / targets;
        int prefix = (int) Math.ceil(Math.log((double) n / 20) / Math.log(2));
        List<DhtNode> owners = new ArrayList<>();
        List<SignedRecord> newest = new ArrayList<>();
        List<HostileNode> attackers = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            DhtNode owner = sim.live().get(1 + t * (n / targets));
            owners.add(owner);
            SignedRecord v1 = record(owner, 100, "10.1.0.1");
            byte[] forged = v1.encoded();
            forged[forged.length - 70] ^= 4;
            SignedRecord squat = record(sim.live().get(0), 999_999, "10.66.6.6");
            for (int h = 0; h < perTarget; h++) {
                HostileNode a = sim.addHostileNear(v1.key(), prefix);
                a.serve(v1.key(), new HostileNode.Payloads(List.of(v1.encoded(), forged, squat.encoded())));
                attackers.add(a);
            }
            sim.await(owner.put(v1));
        }
        List<Contact> all = attackers.stream().map(HostileNode::contact).toList();
        for (HostileNode a : attackers) {
            a.fellows(all);
            a.introduceTo(sim.closestHonest(a.id(), 40));
        }
        sim.loop().advance(10_000);
        for (int t = 0; t < targets; t++) {
            SignedRecord v2 = record(owners.get(t), 200, "10.2.0.2");
            newest.add(v2);
            sim.await(owners.get(t).put(v2));
            for (HostileNode a : attackers) {
                a.pushTo(sim.closestHonest(v2.key(), 30), v2.key());
            }
        }
        sim.loop().advance(10_000);
        int gets = 1000;
        int good = 0;
        int bad = 0;
        for (int i = 0; i < gets; i++) {
            int t = i % targets;
            GetResult g = sim.await(sim.live().get(sim.random().nextInt(n)).get(newest.get(t).key()));
            if (g.record().isPresent() && g.record().get().sameBytes(newest.get(t))) {
                good++;
            } else if (g.record().isPresent()) {
                bad++;
            }
        }
        double pct = 100.0 * good / gets;
        row("10 % hostile next to target keys: newest genuine record", ">= 99 %",
                String.format("%.1f %% (%d attackers)", pct, attackers.size()), pct >= 99);
        row("10 % hostile: forged or rolled-back records accepted", "0", Integer.toString(bad), bad == 0);
        sim.close();
    }

    void udp(int n) throws Exception {
        DhtConfig config = DhtConfig.builder().subnetPolicy(SubnetPolicy.LOOPBACK_PER_PORT)
                .timeoutMillis(100, 2000).build();
        SecureRandom keys = new SecureRandom();
        Random pick = new Random(5);
        List<DhtNode> nodes = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            nodes.add(DhtNode.openUdp(config, NodeIdentity.generate(keys, config.puzzleDifficultyBits()),
                    new InetSocketAddress(LOOPBACK, 0)));
        }
        for (int start = 1; start < n; start += 20) {
            List<CompletableFuture<Integer>> joins = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + 20); i++) {
                List<InetSocketAddress> seeds = new ArrayList<>();
                for (int s = 0; s < 3; s++) {
                    seeds.add(nodes.get(pick.nextInt(start)).localAddress());
                }
                joins.add(nodes.get(i).bootstrap(seeds));
            }
            for (CompletableFuture<Integer> j : joins) {
                j.get(60, TimeUnit.SECONDS);
            }
        }
        System.out.printf("  (%d UDP nodes on 127.0.0.1 with 16-bit puzzles up in %.1f s)%n", n,
                (System.nanoTime() - t0) / 1e9);
        List<SignedRecord> records = new ArrayList<>();
        List<DhtNode> owners = new ArrayList<>(nodes);
        Collections.shuffle(owners, pick);
        for (int i = 0; i < 50; i++) {
            DhtNode owner = owners.get(i);
            SignedRecord r = record(owner, System.currentTimeMillis(), "10.8.0." + i);
            if (owner.put(r).get(30, TimeUnit.SECONDS).succeeded()) {
                records.add(r);
            }
        }
        // Warm up the JIT, then measure one lookup at a time.
        for (int i = 0; i < 200; i++) {
            nodes.get(pick.nextInt(n)).get(records.get(i % records.size()).key()).get(30, TimeUnit.SECONDS);
        }
        List<Double> ms = new ArrayList<>();
        int found = 0;
        for (int i = 0; i < 1000; i++) {
            SignedRecord want = records.get(i % records.size());
            long s = System.nanoTime();
            GetResult g = nodes.get(pick.nextInt(n)).get(want.key()).get(30, TimeUnit.SECONDS);
            ms.add((System.nanoTime() - s) / 1e6);
            if (g.record().isPresent() && g.record().get().sameBytes(want)) {
                found++;
            }
        }
        double p50 = percentile(ms, 50);
        double p99 = percentile(ms, 99);
        row("lookup latency, " + n + " real UDP nodes on loopback, p50", "<= 20 ms",
                String.format("%.2f ms (%d/1000 found)", p50, found), p50 <= 20);
        row("lookup latency, " + n + " real UDP nodes on loopback, p99", "<= 100 ms", String.format("%.2f ms", p99),
                p99 <= 100);
        List<DhtNode> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, pick);
        shuffled.subList(0, n / 2).forEach(DhtNode::close);
        List<DhtNode> alive = shuffled.subList(n / 2, n);
        int ok = 0;
        int gets = 500;
        List<Double> afterMs = new ArrayList<>();
        for (int i = 0; i < gets; i++) {
            SignedRecord want = records.get(i % records.size());
            long s = System.nanoTime();
            GetResult g = alive.get(pick.nextInt(alive.size())).get(want.key()).get(60, TimeUnit.SECONDS);
            afterMs.add((System.nanoTime() - s) / 1e6);
            if (g.record().isPresent() && g.record().get().sameBytes(want)) {
                ok++;
            }
        }
        double pct = 100.0 * ok / gets;
        row("GET success right after half die, " + n + " real UDP nodes", ">= 99 %",
                String.format("%.1f %% (p50 %.0f ms after)", pct, percentile(afterMs, 50)), pct >= 99);
        for (DhtNode d : nodes) {
            maxDatagram = Math.max(maxDatagram, d.stats().maxSentOctets());
        }
        alive.forEach(DhtNode::close);
    }

    void verifiedStores() throws Exception {
        // The full inbound STORE path minus the socket: datagram decode, record decode with
        // signature verification, storage rules. One thread, so the figure is per core.
        SecureRandom r = new SecureRandom();
        MessageCodec codec = new MessageCodec(null);
        NodeIdentity sender = NodeIdentity.generate(r, 0);
        int owners = 4000;
        long now = System.currentTimeMillis();
        List<byte[]> datagrams = new ArrayList<>();
        for (int i = 0; i < owners; i++) {
            NodeIdentity o = NodeIdentity.of(new Ed25519PrivateKeyParameters(r), 0);
            SignedRecord rec = SignedRecord.sign(SignedRecord.presence(o.publicKey(), new byte[0], now, now,
                    now + 3_600_000, List.of("d" + i + "@example.org/x"),
                    List.of(new InetSocketAddress("192.168.0.1", 5222)), Optional.empty(),
                    E2eElement.of(List.of(new PublishedKey(KeyType.X25519, new byte[32])))), o);
            datagrams.add(codec.encode(new Datagram(i, sender.publicKey(), 0, false,
                    new Message.Store(rec.key(), new byte[8], rec.encoded()))));
        }
        double best = 0;
        for (int round = 0; round < 5; round++) {
            RecordStore store = new RecordStore(1_000_000, k -> true);
            long t0 = System.nanoTime();
            int stored = 0;
            for (byte[] d : datagrams) {
                Message.Store s = (Message.Store) codec.decode(d, d.length, 0).message();
                SignedRecord rec = SignedRecord.decode(s.record());
                if (store.offer(s.key(), rec, now).accepted()) {
                    stored++;
                }
            }
            double perSec = stored / ((System.nanoTime() - t0) / 1e9);
            best = Math.max(best, perSec);
        }
        row("verified stores per node (one core)", ">= 10k/s", String.format("%.1fk/s", best / 1000),
                best >= 10_000);
    }

    void sizes() {
        // The largest presence record a device would plausibly publish: 2 JIDs, 4 endpoints
        // (IPv6), an external one, 3 inline keys and 2 large keys by digest.
        NodeIdentity o = NodeIdentity.generate(new SecureRandom(), 0);
        List<InetSocketAddress> local = List.of(new InetSocketAddress("2001:db8::1", 5222),
                new InetSocketAddress("2001:db8::2", 5222), new InetSocketAddress("192.168.1.2", 5222),
                new InetSocketAddress("10.0.0.2", 5222));
        byte[] ml = new byte[KeyType.ML256.pubOctets()];
        byte[] rsa = new byte[2 + 512 + 3];
        rsa[0] = 0;
        rsa[1] = 16; // 4096 bits, little-endian size
        rsa[2] = (byte) 0x80;
        long now = System.currentTimeMillis();
        SignedRecord big = SignedRecord.sign(SignedRecord.presence(o.publicKey(), new byte[0], now, now, now + 3_600_000,
                List.of("a-rather-long-device-name@example.org/living-room-thermostat", "backup@example.net/x"),
                local, Optional.of(new InetSocketAddress("2001:db8:ffff::1", 40000)),
                E2eElement.of(List.of(new PublishedKey(KeyType.X25519, new byte[32]),
                        new PublishedKey(KeyType.P521, new byte[132]), new PublishedKey(KeyType.X448, new byte[56]),
                        new PublishedKey(KeyType.ML256, ml), new PublishedKey(KeyType.RSA, rsa)))), o);
        maxRecord = Math.max(maxRecord, big.size());
        row("record size (largest seen incl. a maximal device record)", "<= 1000 B", maxRecord + " B",
                maxRecord <= 1000);
        row("datagram size (largest sent in all runs)", "<= 1232 B", maxDatagram + " B", maxDatagram <= 1232);
    }

    void memory() throws Exception {
        // Per stored record: heap after storing 20k decoded records minus heap with only their encodings.
        SecureRandom r = new SecureRandom();
        long now = System.currentTimeMillis();
        int count = 20_000;
        List<byte[]> encoded = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            NodeIdentity o = NodeIdentity.of(new Ed25519PrivateKeyParameters(r), 0);
            encoded.add(SignedRecord.sign(SignedRecord.presence(o.publicKey(), new byte[0], now, now, now + 3_600_000,
                    List.of("d" + i + "@example.org/x"), List.of(new InetSocketAddress("192.168.0.1", 5222)),
                    Optional.of(new InetSocketAddress("203.0.113.1", 4000)),
                    E2eElement.of(List.of(new PublishedKey(KeyType.X25519, new byte[32])))), o).encoded());
        }
        long before = usedHeap();
        RecordStore store = new RecordStore(1_000_000, k -> true);
        for (byte[] e : encoded) {
            SignedRecord s = SignedRecord.decode(e);
            store.offer(s.key(), s, now);
        }
        long perRecord = (usedHeap() - before) / count;
        row("memory per stored record", "<= 2 KB", perRecord + " B", perRecord <= 2048);
        if (store.size() != count) {
            throw new IllegalStateException("stored " + store.size() + " of " + count + " records");
        }
        store = null;
        encoded = null;
        // Per routing entry: whole simulated nodes' heap (tables, RTT and rate maps, everything)
        // divided by their routing entries: an upper bound for the entry itself.
        long base = usedHeap();
        SimDht sim = new SimDht(simConfig(), 77, 5, 50, 0);
        sim.grow(1000, 100);
        long entries = 0;
        for (DhtNode d : sim.live()) {
            entries += sim.await(d.routingTableSize());
        }
        long perEntry = (usedHeap() - base) / Math.max(1, entries);
        row("memory per routing entry (upper bound: whole node / entries)", "<= 2 KB",
                perEntry + " B (" + entries + " entries)", perEntry <= 2048);
        sim.close();
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    void write(Path csv) throws IOException {
        Files.createDirectories(csv.toAbsolutePath().getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv))) {
            w.println("metric,target,measured,met");
            for (String[] r : rows) {
                w.println(String.join(",", Arrays.stream(r).map(s -> "\"" + s.replace("\"", "'") + "\"").toList()));
            }
        }
        System.out.println("wrote " + csv);
    }
}
