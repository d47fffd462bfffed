package org.xp2p.discovery.dht.sim;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.xp2p.discovery.dht.Contact;
import org.xp2p.discovery.dht.DhtConfig;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.NodeId;
import org.xp2p.discovery.dht.NodeIdentity;

/**
 * A whole simulated DHT: honest {@link DhtNode}s (the real node logic) and
 * {@link HostileNode}s on one {@link SimNetwork} in virtual time. Builds and joins the
 * network, kills and adds nodes for churn, and places attackers next to chosen keys.
 * Identity keys come from the seed, so a run is repeatable. Single-threaded: the caller's
 * thread drives the loop through {@link #await}.
 */
public final class SimDht {

    /** The virtual clock starts at 2027-01-15, so records carry realistic timestamps. */
    public static final long START_MILLIS = 1_800_000_000_000L;

    private final DhtConfig config;
    private final SimLoop loop = new SimLoop(START_MILLIS);
    private final SimNetwork network;
    private final Random random;
    private final List<DhtNode> live = new ArrayList<>();
    private final List<HostileNode> hostile = new ArrayList<>();

    public SimDht(DhtConfig config, long seed, int minLatencyMillis, int maxLatencyMillis, double lossRate) {
        this.config = config;
        this.random = new Random(seed);
        this.network = new SimNetwork(loop, seed * 31 + 1, minLatencyMillis, maxLatencyMillis, lossRate);
    }

    public SimLoop loop() {
        return loop;
    }

    public SimNetwork network() {
        return network;
    }

    public Random random() {
        return random;
    }

    public DhtConfig config() {
        return config;
    }

    /** Live honest nodes, in order of creation. */
    public List<DhtNode> live() {
        return live;
    }

    public List<HostileNode> hostile() {
        return hostile;
    }

    private NodeIdentity newIdentity() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return NodeIdentity.of(new Ed25519PrivateKeyParameters(seed), config.puzzleDifficultyBits());
    }

    /** A new honest node, not yet joined. */
    public DhtNode addNode() {
        return addNode(newIdentity());
    }

    public DhtNode addNode(NodeIdentity identity) {
        return addNode(identity, network.attach());
    }

    /** A new honest node, not yet joined, behind a NAT that drops datagrams from addresses it never sent to. */
    public DhtNode addNodeBehindNat() {
        return addNode(newIdentity(), network.attachBehindNat());
    }

    private DhtNode addNode(NodeIdentity identity, SimNetwork.SimTransport transport) {
        // Dial-back probes leave from a second port of the node's host, as a real node's do.
        InetSocketAddress probePort = new InetSocketAddress(transport.localAddress().getAddress(),
                transport.localAddress().getPort() + 1);
        DhtNode n = DhtNode.onTransport(config, identity, transport, (to, bytes) -> network.send(probePort, to, bytes),
                loop, new Random(random.nextLong()));
        live.add(n);
        return n;
    }

    /** Joins {@code node} through {@code seedCount} random live nodes; returns its table size. */
    public int join(DhtNode node, int seedCount) {
        return await(joinAsync(node, seedCount));
    }

    private CompletableFuture<Integer> joinAsync(DhtNode node, int seedCount) {
        List<InetSocketAddress> seeds = new ArrayList<>();
        for (int i = 0; i < seedCount && live.size() > 1; i++) {
            DhtNode s = live.get(random.nextInt(live.size()));
            if (s != node) {
                seeds.add(s.localAddress());
            }
        }
        return node.bootstrap(seeds);
    }

    /** Builds a network of {@code n} honest nodes, joining them in waves of {@code wave}. */
    public void grow(int n, int wave) {
        int start = live.size();
        for (int i = 0; i < n; i++) {
            addNode();
        }
        if (start == 0) {
            start = 1;
        }
        for (int from = start; from < live.size(); from += wave) {
            List<CompletableFuture<Integer>> joins = new ArrayList<>();
            int to = Math.min(live.size(), from + wave);
            for (int i = from; i < to; i++) {
                List<InetSocketAddress> seeds = new ArrayList<>();
                for (int s = 0; s < 3; s++) {
                    seeds.add(live.get(random.nextInt(from)).localAddress());
                }
                joins.add(live.get(i).bootstrap(seeds));
            }
            await(CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)));
        }
    }

    public void kill(DhtNode node) {
        live.remove(node);
        node.close();
    }

    /** Kills a uniformly random {@code fraction} of live nodes at once. */
    public List<DhtNode> killFraction(double fraction) {
        List<DhtNode> victims = new ArrayList<>(live);
        java.util.Collections.shuffle(victims, random);
        victims = new ArrayList<>(victims.subList(0, (int) (victims.size() * fraction)));
        victims.forEach(this::kill);
        return victims;
    }

    /**
     * An attacker whose ID shares at least {@code prefixBits} leading bits with {@code near}:
     * keys are drawn until one lands there (about 2^prefixBits draws).
     */
    public HostileNode addHostileNear(NodeId near, int prefixBits) {
        byte[] seed = new byte[32];
        Ed25519PrivateKeyParameters key;
        do {
            random.nextBytes(seed);
            key = new Ed25519PrivateKeyParameters(seed);
        } while (NodeId.ofPublicKey(key.generatePublicKey().getEncoded()).commonPrefixLength(near) < prefixBits);
        // The attacker pays the ID puzzle like anyone else, once it has its key.
        NodeIdentity id = NodeIdentity.of(key, config.puzzleDifficultyBits());
        HostileNode h = new HostileNode(id, network.attach(), config.k(), new Random(random.nextLong()));
        hostile.add(h);
        return h;
    }

    /** The {@code n} live honest nodes closest to {@code target}, by the simulator's global view. */
    public List<Contact> closestHonest(NodeId target, int n) {
        List<Contact> all = new ArrayList<>();
        for (DhtNode d : live) {
            all.add(d.contact());
        }
        all.sort(Comparator.comparing(Contact::id, (a, b) -> target.compareDistance(a, b)));
        return all.subList(0, Math.min(n, all.size()));
    }

    public <T> T await(CompletableFuture<T> f) {
        return loop.await(f, 24L * 3600 * 1000);
    }

    /** Closes every node, honest and hostile. */
    public void close() {
        new ArrayList<>(live).forEach(this::kill);
        hostile.forEach(HostileNode::close);
        loop.advance(1);
    }
}
