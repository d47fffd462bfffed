package org.xp2p.discovery.dht;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * N real UDP DHT nodes on 127.0.0.1 (distinct ports), each bootstrapped from a few earlier
 * ones. Loopback only, per the network rule: every seed address is 127.0.0.1.
 */
final class LoopbackCluster implements AutoCloseable {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final List<DhtNode> nodes = new ArrayList<>();
    final DhtConfig config;

    LoopbackCluster(DhtConfig config) {
        this.config = config;
    }

    static DhtConfig.Builder testConfig() {
        // Cheap puzzle so 200 identities are quick; loopback ports count as separate subnets.
        // Nodes serve from the start: these tests are about lookups and storage, ReachabilityTest
        // covers how AUTO nodes find out they can serve.
        return DhtConfig.builder().puzzleDifficultyBits(8).subnetPolicy(SubnetPolicy.LOOPBACK_PER_PORT)
                .timeoutMillis(200, 2000).reachability(Reachability.SERVER);
    }

    static LoopbackCluster start(int n, DhtConfig config, long seed) throws Exception {
        LoopbackCluster c = new LoopbackCluster(config);
        SecureRandom keys = new SecureRandom();
        Random pick = new Random(seed);
        for (int i = 0; i < n; i++) {
            c.nodes.add(DhtNode.openUdp(config, NodeIdentity.generate(keys, config.puzzleDifficultyBits()),
                    new InetSocketAddress(LOOPBACK, 0)));
        }
        // Join in waves so that seeds already have tables when later nodes ask them.
        int wave = 20;
        for (int start = 1; start < n; start += wave) {
            List<CompletableFuture<Integer>> joins = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + wave); i++) {
                List<InetSocketAddress> seeds = new ArrayList<>();
                seeds.add(c.nodes.get(0).localAddress());
                for (int s = 0; s < 3; s++) {
                    seeds.add(c.nodes.get(pick.nextInt(start)).localAddress());
                }
                joins.add(c.nodes.get(i).bootstrap(seeds));
            }
            for (CompletableFuture<Integer> j : joins) {
                j.get(60, TimeUnit.SECONDS);
            }
        }
        return c;
    }

    @Override
    public void close() {
        nodes.forEach(DhtNode::close);
    }

    /** Threads a DHT node starts ("dht-loop-*", "dht-udp-reader-*") still alive. */
    static List<String> liveDhtThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("dht-")) {
                names.add(t.getName());
            }
        }
        return names;
    }

}
