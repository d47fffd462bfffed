package org.xp2p.samples.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.AllowList;
import org.xp2p.discovery.dht.DhtConfig;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.discovery.dht.PresenceMirror;
import org.xp2p.discovery.dht.PutResult;
import org.xp2p.discovery.dht.SubnetPolicy;
import org.xp2p.e2e.identity.IdentityKey;

/**
 * The device's DHT node in a private network of the allow-listed identity keys: joins
 * through the seeds and the peers' offered addresses, follows the publishing of our
 * presence (signed with the identity key; the device itself publishes, serverless or
 * broker) and looks the allowed peers' presence up for {@code xp2p peers}. A publish that
 * reached no node is made again as soon as the routing table holds someone, rather than
 * only at the mirror's own backoff (the first device of a network starts alone).
 *
 * <p>Threads: the node's loop; {@link #tick()} runs on the caller's (the run command's)
 * thread. {@link #close()} closes the mirror, then the node.
 */
final class DhtPresence implements AutoCloseable {
    private static final long STEP_SECONDS = 10;
    private static final long REPUBLISH_ON_JOIN_MIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final DhtNode node;
    private final PresenceMirror mirror;
    private final DeviceLog log;
    private final List<InetSocketAddress> seeds;
    private volatile Supplier<CompletableFuture<PutResult>> publisher;
    /** Broker mode: makes the device publish our record again (see {@link #followDevice}). */
    private volatile Runnable nudge;
    private volatile boolean storedSomewhere;
    private volatile long lastPublishNanos;
    private volatile int lastTableSize;

    private DhtPresence(DhtNode node, DeviceLog log, List<InetSocketAddress> seeds) {
        this.node = node;
        this.mirror = new PresenceMirror(node);
        this.log = log;
        this.seeds = seeds;
    }

    static DhtPresence start(DeviceConfig config, IdentityKey identity, DeviceLog log) throws CliException,
            InterruptedException {
        DeviceConfig.Dht d = config.dht().orElseThrow();
        AllowList allow = new AllowList();
        List<InetSocketAddress> seeds = new ArrayList<>(d.seeds());
        for (DeviceConfig.AllowedPeer p : config.allowList()) {
            allow.add(p.identityKey());
            seeds.addAll(p.dhtAddresses());
        }
        DhtConfig.Builder b = DhtConfig.builder().allowList(allow);
        if (d.address().isLoopbackAddress()) {
            // every node on one machine shares 127.0.0.1: count each port as its own subnet
            b.subnetPolicy(SubnetPolicy.LOOPBACK_PER_PORT);
        }
        DhtConfig dhtConfig = b.build();
        DhtNode node;
        try {
            node = DhtNode.openUdp(dhtConfig, NodeIdentity.of(identity.privateKey(), dhtConfig.puzzleDifficultyBits()),
                    new InetSocketAddress(d.address(), d.port()));
        } catch (IOException e) {
            throw new CliException(ExitCodes.START_FAILED, "cannot open the DHT node on " + d.address().getHostAddress()
                    + ":" + d.port() + ": " + e.getMessage() + "; choose a free dht.port (or 0)", e);
        }
        DhtPresence p = new DhtPresence(node, log, List.copyOf(seeds));
        log.event("DHT node " + node.id() + " on UDP " + DeviceConfigFile.endpoint(node.localAddress())
                + (seeds.isEmpty() ? ", no seeds: waiting for peers to join through us" : ", joining through "
                + seeds.stream().map(DeviceConfigFile::endpoint).toList() + "..."));
        if (!seeds.isEmpty()) {
            try {
                int size = node.bootstrap(seeds).get(STEP_SECONDS, TimeUnit.SECONDS);
                log.event(size == 0 ? "DHT: no seed answered yet (they may not be running); we keep trying"
                        : "DHT: joined, " + size + " node(s) in the routing table");
            } catch (ExecutionException | TimeoutException e) {
                log.event("DHT: join did not finish (" + e + "); we keep trying");
            }
        }
        return p;
    }

    int port() {
        return node.localAddress().getPort();
    }

    InetSocketAddress localAddress() {
        return node.localAddress();
    }

    DhtNode node() {
        return node;
    }

    /**
     * Broker mode: the device publishes our record itself (and again after every key rotation
     * or endpoint change) but cannot tell us where it was stored; {@code again} makes it publish
     * once more, which {@link #tick()} asks for when a node joins.
     */
    void followDevice(Runnable again) throws InterruptedException {
        this.nudge = again;
        this.lastPublishNanos = System.nanoTime();
        try {
            // the device published with the nodes known now: only later arrivals call for another publish
            lastTableSize = node.routingTableSize().get(STEP_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            lastTableSize = 0;
        }
    }

    /**
     * Follows a publish already under way ({@code first}), and publishes again with
     * {@code again} from {@link #tick()} while none has reached a node: the serverless
     * device publishes through its own mirror.
     */
    void track(CompletableFuture<PutResult> first, Supplier<CompletableFuture<PutResult>> again)
            throws InterruptedException {
        this.publisher = again;
        await(first);
    }

    private void await(CompletableFuture<PutResult> publish) throws InterruptedException {
        lastPublishNanos = System.nanoTime();
        try {
            PutResult r = publish.get(STEP_SECONDS, TimeUnit.SECONDS);
            storedSomewhere = r.succeeded();
            log.event(r.succeeded() ? "DHT: presence published (" + r + ")"
                    : "DHT: presence stored nowhere yet (no other node); published again when one joins");
            if (r.succeeded()) {
                // the nodes there now hold it: only later arrivals call for another publish
                lastTableSize = node.routingTableSize().get(STEP_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            log.event("DHT: presence publish did not finish: " + e);
        }
    }

    /**
     * Called every second or so: publishes again once a first node is there, and when a node
     * joins (at most every {@link #REPUBLISH_ON_JOIN_MIN_NANOS}): in a small private network
     * the newcomer may be the only node left that could hold our record.
     */
    void tick() throws InterruptedException {
        if (publisher == null && nudge == null) {
            return;
        }
        int size;
        try {
            size = node.routingTableSize().get(STEP_SECONDS, TimeUnit.SECONDS);
            if (size == 0 && !storedSomewhere && !seeds.isEmpty()) {
                size = node.bootstrap(seeds).get(STEP_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            return;
        }
        boolean grew = size > lastTableSize;
        boolean wasAlone = lastTableSize == 0;
        lastTableSize = size;
        if (size == 0) {
            return;
        }
        boolean joinedSinceLast = grew && System.nanoTime() - lastPublishNanos > REPUBLISH_ON_JOIN_MIN_NANOS;
        if (publisher != null && (!storedSomewhere || joinedSinceLast)) {
            await(publisher.get());
        } else if (nudge != null && grew && (wasAlone || joinedSinceLast)) {
            // Alone until now, the device's record is stored nowhere (a node never holds its own),
            // and its own retry backs off to minutes; the newcomer may be the only node to hold it.
            lastPublishNanos = System.nanoTime();
            log.event("DHT: a node joined (" + size + " in the routing table); the device publishes its presence again");
            nudge.run();
        }
    }

    /** The presence of the peer with {@code identityKey}, if the DHT holds it. */
    Optional<PeerInfo> lookup(byte[] identityKey) throws InterruptedException {
        try {
            return mirror.lookup(identityKey).get(STEP_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        mirror.close();
        node.close();
    }
}
