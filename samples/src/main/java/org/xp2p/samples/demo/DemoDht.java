package org.xp2p.samples.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xp2p.discovery.dht.DhtConfig;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.discovery.dht.SubnetPolicy;
import org.xp2p.e2e.identity.IdentityKey;

/**
 * The public DHT of the demo: a few bystander nodes that stand for the rest of the world,
 * plus one node per party, each bound to that party's identity key, all real UDP nodes on
 * 127.0.0.1. Owns every node it opened; {@link #close()} stops them.
 */
final class DemoDht implements AutoCloseable {
    private static final long JOIN_SECONDS = 30;

    private final InetAddress loopback;
    private final DhtConfig config;
    private final List<DhtNode> bystanders = new ArrayList<>();
    private final List<DhtNode> parties = new ArrayList<>();

    private DemoDht(InetAddress loopback) {
        this.loopback = loopback;
        // Every node is on 127.0.0.1, which the per-subnet limits would otherwise count as one host.
        this.config = DhtConfig.builder().subnetPolicy(SubnetPolicy.LOOPBACK_PER_PORT).build();
    }

    /** Starts {@code size} bystanders and joins them into one network. */
    static DemoDht start(InetAddress loopback, int size) throws IOException, InterruptedException {
        DemoDht dht = new DemoDht(loopback);
        try {
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < size; i++) {
                dht.bystanders.add(DhtNode.openUdp(dht.config,
                        NodeIdentity.generate(random, dht.config.puzzleDifficultyBits()), dht.anyPort()));
            }
            List<CompletableFuture<Integer>> joins = new ArrayList<>();
            for (int i = 1; i < size; i++) {
                joins.add(dht.bystanders.get(i).bootstrap(dht.seeds()));
            }
            for (CompletableFuture<Integer> j : joins) {
                await(j, "a bystander DHT node could not join");
            }
            return dht;
        } catch (IOException | InterruptedException | RuntimeException e) {
            dht.close();
            throw e;
        }
    }

    /** One node per identity, each with the node ID its key gives it, joined to the network together. */
    List<DhtNode> join(List<IdentityKey> identities) throws IOException, InterruptedException {
        List<DhtNode> nodes = new ArrayList<>();
        for (IdentityKey identity : identities) {
            DhtNode node = DhtNode.openUdp(config,
                    NodeIdentity.of(identity.privateKey(), config.puzzleDifficultyBits()), anyPort());
            parties.add(node);
            nodes.add(node);
        }
        List<CompletableFuture<Integer>> joins = nodes.stream().map(n -> n.bootstrap(seeds())).toList();
        for (int i = 0; i < nodes.size(); i++) {
            if (await(joins.get(i), "a party's DHT node could not join") == 0) {
                throw new IllegalStateException("no bystander answered the DHT join of " + nodes.get(i));
            }
        }
        return nodes;
    }

    int size() {
        return bystanders.size() + parties.size();
    }

    List<InetSocketAddress> seeds() {
        return bystanders.stream().limit(3).map(DhtNode::localAddress).toList();
    }

    private InetSocketAddress anyPort() {
        return new InetSocketAddress(loopback, 0);
    }

    private static int await(CompletableFuture<Integer> f, String what) throws InterruptedException {
        try {
            return f.get(JOIN_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " within " + JOIN_SECONDS + " s", e);
        }
    }

    @Override
    public void close() {
        parties.forEach(DhtNode::close);
        bystanders.forEach(DhtNode::close);
    }
}
