package org.xp2p.discovery.dht;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.discovery.dht.net.DatagramTransport;
import org.xp2p.discovery.dht.net.EventLoop;
import org.xp2p.discovery.dht.net.EphemeralPortProbeSender;
import org.xp2p.discovery.dht.net.ExecutorEventLoop;
import org.xp2p.discovery.dht.net.ProbeSender;
import org.xp2p.discovery.dht.net.UdpTransport;
import org.xp2p.discovery.dht.record.RecordStore;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.discovery.dht.record.StoreOutcome;
import org.xp2p.discovery.dht.wire.Datagram;
import org.xp2p.discovery.dht.wire.DropReason;
import org.xp2p.discovery.dht.wire.MalformedDatagramException;
import org.xp2p.discovery.dht.wire.Message;
import org.xp2p.discovery.dht.wire.MessageCodec;
import org.xp2p.discovery.dht.wire.StoreStatus;

/**
 * One Kademlia DHT node: answers PING / FIND_NODE / FIND_VALUE / STORE, keeps a routing
 * table of contacts that proved their identity key, stores others' signed records (presence
 * and public data alike) under the storage rules, and runs lookups, publishes and maintenance (bucket
 * refresh, record expiry, token rotation).
 *
 * <p>Reachability: a node set to {@link Reachability#AUTO} starts as a client only (its
 * datagrams carry the client-only flag, so nobody adds it to a routing table, while it still
 * queries, publishes and answers whoever asks it directly) and asks up to three peers in
 * distinct subnets to dial it back (DIAL_BACK, answered by a probe from another port). Once
 * enough probes arrive it serves others and announces itself to the peers it knows; it checks
 * again every {@link DhtConfig#reachabilityRecheckMillis()} and soon after the address others
 * see for it changes. See {@link DialBackRound} for what counts as a confirmation.
 *
 * <p>Threads: all state lives on one {@link EventLoop}; the transport's reader hands each
 * datagram to it. A node opened with {@link #openUdp} owns its socket, reader thread and
 * loop thread, and {@link #close()} stops all three. A simulated node shares the
 * simulation's loop, which it does not own. Public methods may be called from any thread;
 * their futures complete on the loop thread.
 */
public final class DhtNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DhtNode.class);
    /** After a failed challenge, the candidate is left alone this long. */
    private static final long CHALLENGE_BACKOFF_MILLIS = 60_000;
    private static final int MAX_WRITE_BACK_MISSING = 2;
    /** A helper dials back one host at most once per this interval; a round asks each helper once. */
    private static final double DIAL_BACKS_PER_HOST_PER_SECOND = 1 / 5.0;
    /** Probes a node sends in all, per second: bounds what any crowd of requesters can make it send. */
    private static final double DIAL_BACKS_PER_SECOND = 20;
    /** Verified peers kept (whatever their flag) as dial-back helpers and as whom to announce to. */
    private static final int MAX_VERIFIED_PEERS = 32;
    /** Wait after a peer verifies before checking, so the answers of several seeds make one round. */
    private static final long CHECK_DEBOUNCE_MILLIS = 50;
    /** After a round in which no helper dialled, try again this soon (if helpers are known). */
    private static final long INCONCLUSIVE_RETRY_MILLIS = 5_000;
    /** A changed observed address triggers a check, but not more often than this. */
    private static final long OBSERVED_CHANGE_MIN_GAP_MILLIS = 30_000;
    /** An AUTO node whose seeds all answered as clients tries the join again this many times. */
    private static final int AUTO_JOIN_ATTEMPTS = 6;
    private static final long AUTO_JOIN_RETRY_MILLIS = 200;

    /** What a request's sender is told: a reply or a timeout, on the loop thread. */
    interface ReplyHandler {
        void onReply(Datagram reply);

        void onTimeout();
    }

    private final class Pending {
        final InetSocketAddress to;
        final NodeId expectedId;
        final Class<? extends Message> replyType;
        final long sentNanos;
        final ReplyHandler handler;
        EventLoop.Timer timer;

        Pending(InetSocketAddress to, NodeId expectedId, Class<? extends Message> replyType, long sentNanos,
                ReplyHandler handler) {
            this.to = to;
            this.expectedId = expectedId;
            this.replyType = replyType;
            this.sentNanos = sentNanos;
            this.handler = handler;
        }
    }

    private final DhtConfig config;
    private final NodeIdentity identity;
    private final byte[] publicKey;
    private final DatagramTransport transport;
    private final ProbeSender probeSender;
    private final EventLoop loop;
    private final AutoCloseable ownedLoop;
    private final Random random;
    private final MessageCodec codec;
    private final RoutingTable table;
    private final RecordStore store;
    private final WriteTokens tokens;
    private final RateLimiter limiter;
    private final RttEstimator rtt;
    private final DhtStats stats = new DhtStats();
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Set<NodeId> challenging = new HashSet<>();
    private final Map<NodeId, Long> challengeBackoff = new HashMap<>();
    private final boolean ipv4;
    private final List<EventLoop.Timer> timers = new ArrayList<>();
    private volatile boolean closed;
    private volatile InetSocketAddress observedAddress;
    /** The last bootstrap list, tried again whenever the routing table runs empty. */
    private List<InetSocketAddress> seeds = List.of();
    private final RateLimiter dialBacksPerHost;
    private final RateLimiter dialBacksTotal;
    private final Map<NodeId, Contact> verifiedPeers = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, Contact> eldest) {
            return size() > MAX_VERIFIED_PEERS;
        }
    };
    /** Whether our datagrams say we serve others: always for SERVER, never for CLIENT, once confirmed for AUTO. */
    private volatile boolean serving;
    private DialBackRound round;
    private EventLoop.Timer roundTimer;
    private final List<CompletableFuture<Boolean>> roundWaiters = new ArrayList<>();
    private EventLoop.Timer checkTimer;
    private long nextCheckAtMillis;
    private long lastObservedTriggerMillis = Long.MIN_VALUE / 2;

    private DhtNode(DhtConfig config, NodeIdentity identity, DatagramTransport transport, ProbeSender probeSender,
                    EventLoop loop, AutoCloseable ownedLoop, Random random) {
        if (!IdPuzzle.holds(identity.publicKey(), identity.puzzleNonce(), config.puzzleDifficultyBits())) {
            throw new IllegalArgumentException("the identity's puzzle nonce does not meet this network's "
                    + config.puzzleDifficultyBits() + "-bit difficulty; create it with that difficulty");
        }
        this.config = config;
        this.identity = identity;
        this.publicKey = identity.publicKey();
        this.transport = transport;
        this.probeSender = probeSender;
        this.loop = loop;
        this.ownedLoop = ownedLoop;
        this.random = random;
        this.codec = new MessageCodec(config.networkKey().orElse(null));
        this.table = new RoutingTable(identity.id(), config.k(), config.subnetPolicy(),
                config.maxPerSubnetPerBucket(), config.maxPerSubnetInTable());
        this.store = new RecordStore(config.recordCapacity(), this::keyAdmitted);
        this.tokens = new WriteTokens(new SecureRandom());
        this.limiter = new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), 16_384);
        // Per-peer RTTs matter for the contacts we query again and again: a few hundred suffice.
        this.rtt = new RttEstimator(config.minTimeoutMillis(), config.maxTimeoutMillis(), config.initialRttMillis(),
                512);
        this.ipv4 = transport.localAddress().getAddress() instanceof Inet4Address;
        this.dialBacksPerHost = new RateLimiter(DIAL_BACKS_PER_HOST_PER_SECOND, 1, 4096);
        this.dialBacksTotal = new RateLimiter(DIAL_BACKS_PER_SECOND, DIAL_BACKS_PER_SECOND, 1);
        this.serving = config.reachability() == Reachability.SERVER;
    }

    /**
     * Opens a node on a real UDP socket bound to {@code bind} (an explicit address; port 0
     * picks one), with its own reader and loop threads. Call {@link #close()} to stop them.
     */
    public static DhtNode openUdp(DhtConfig config, NodeIdentity identity, InetSocketAddress bind)
            throws IOException {
        UdpTransport transport = UdpTransport.bind(bind);
        ExecutorEventLoop loop = new ExecutorEventLoop(String.valueOf(transport.localAddress().getPort()));
        DhtNode node;
        try {
            node = new DhtNode(config, identity, transport,
                    new EphemeralPortProbeSender(transport.localAddress().getAddress()), loop, loop, new SecureRandom());
        } catch (RuntimeException e) {
            transport.close();
            loop.close();
            throw e;
        }
        node.start();
        return node;
    }

    /**
     * A node on a transport and loop it does not own, such as the simulator's. {@code random}
     * draws transaction IDs and nonces: a seeded one makes a simulation repeatable, a real
     * node must use a {@link SecureRandom}.
     */
    public static DhtNode onTransport(DhtConfig config, NodeIdentity identity, DatagramTransport transport,
                                      EventLoop loop, Random random) {
        // Probes then leave from the node's own address, which a requester does not count:
        // over such a transport, nodes help no AUTO node to a verdict of reachable.
        return onTransport(config, identity, transport, transport::send, loop, random);
    }

    /**
     * As {@link #onTransport(DhtConfig, NodeIdentity, DatagramTransport, EventLoop, Random)},
     * with {@code probeSender} sending the dial-back probes this node sends for others from
     * another port than the transport's.
     */
    public static DhtNode onTransport(DhtConfig config, NodeIdentity identity, DatagramTransport transport,
                                      ProbeSender probeSender, EventLoop loop, Random random) {
        DhtNode node = new DhtNode(config, identity, transport, probeSender, loop, null, random);
        node.start();
        return node;
    }

    private void start() {
        transport.start((from, data, length) -> loop.execute(() -> onDatagram(from, data, length)));
        loop.execute(() -> {
            timers.add(every(config.maintenanceIntervalMillis(), this::maintain));
            timers.add(every(config.tokenRotationMillis(), tokens::rotate));
        });
    }

    private EventLoop.Timer every(long periodMillis, Runnable task) {
        // One handle that always names the next run, so close() can cancel whichever is pending.
        EventLoop.Timer[] next = new EventLoop.Timer[1];
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            if (!closed) {
                task.run();
                next[0] = loop.schedule(self[0], periodMillis);
            }
        };
        next[0] = loop.schedule(self[0], periodMillis);
        return () -> next[0].cancel();
    }

    public NodeId id() {
        return identity.id();
    }

    public NodeIdentity identity() {
        return identity;
    }

    public DhtConfig config() {
        return config;
    }

    public InetSocketAddress localAddress() {
        return transport.localAddress();
    }

    /** This node as a contact, at its bound address. */
    public Contact contact() {
        return identity.asContact(transport.localAddress());
    }

    /** The address the last replying node saw us send from (our external address behind a NAT). */
    public Optional<InetSocketAddress> observedAddress() {
        return Optional.ofNullable(observedAddress);
    }

    /**
     * Whether this node serves others now: always for {@link Reachability#SERVER}, never for
     * {@link Reachability#CLIENT}, and for {@link Reachability#AUTO} once dial-backs showed
     * that others can reach it.
     */
    public boolean servesOthers() {
        return serving;
    }

    /**
     * Checks reachability now (AUTO nodes; others complete at once) by asking up to three
     * known peers in distinct subnets to dial back, or joins the check already running.
     * Completes with {@link #servesOthers()} once the round has a verdict, at the latest
     * {@link DhtConfig#reachabilityWaitMillis()} after it started.
     */
    public CompletableFuture<Boolean> checkReachability() {
        return onLoop(f -> checkNow(true, f));
    }

    /** The loop this node's logic runs on; timers of the presence mirror run there too. */
    public EventLoop loop() {
        return loop;
    }

    public DhtStats stats() {
        return stats;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Runs {@code task} on the loop and hands its result over. */
    private <T> CompletableFuture<T> onLoop(java.util.function.Consumer<CompletableFuture<T>> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("DHT node " + id() + " is closed"));
            return f;
        }
        loop.execute(() -> {
            try {
                task.accept(f);
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Verified contacts in the routing table (a snapshot taken on the loop). */
    public CompletableFuture<List<Contact>> contacts() {
        return onLoop(f -> f.complete(table.all()));
    }

    public CompletableFuture<Integer> routingTableSize() {
        return onLoop(f -> f.complete(table.size()));
    }

    public CompletableFuture<Integer> storedRecords() {
        return onLoop(f -> f.complete(store.size()));
    }

    /** A record this node holds for others, if any (for tests and diagnostics). */
    public CompletableFuture<Optional<SignedRecord>> storedRecord(NodeId key) {
        return onLoop(f -> f.complete(store.get(key, loop.currentTimeMillis())));
    }

    // ---------------------------------------------------------------- bootstrap and lookups

    /**
     * Joins the network through every address on the list (all of them, in parallel: one
     * dead seed must not stop the join): each must answer a signed challenge, then a lookup
     * of our own ID and a refresh of the farther buckets fill the table. Completes with the
     * routing table's size; 0 means no seed answered. Whenever the table later runs empty,
     * the node joins through the same list again at its next maintenance tick.
     */
    public CompletableFuture<Integer> bootstrap(List<InetSocketAddress> seeds) {
        List<InetSocketAddress> list = List.copyOf(seeds);
        return onLoop(f -> join(list, f, 0));
    }

    private void join(List<InetSocketAddress> list, CompletableFuture<Integer> f) {
        join(list, f, 0);
    }

    private void join(List<InetSocketAddress> list, CompletableFuture<Integer> f, int attempt) {
        seeds = list;
        if (list.isEmpty()) {
            f.complete(table.size());
            return;
        }
        AtomicInteger left = new AtomicInteger(list.size());
        for (InetSocketAddress seed : list) {
            challengeAddress(seed, c -> {
                if (left.decrementAndGet() == 0) {
                    joinAfterSeeds(list, f, attempt);
                }
            });
        }
    }

    private void joinAfterSeeds(List<InetSocketAddress> list, CompletableFuture<Integer> f, int attempt) {
        if (table.size() == 0) {
            if (config.reachability() == Reachability.AUTO && !verifiedPeers.isEmpty()
                    && attempt + 1 < AUTO_JOIN_ATTEMPTS && !closed) {
                // The seeds answered, but as clients only: in a young network they may not yet know
                // they can be reached. Learn our own verdict (which lets them learn theirs from us), then ask again.
                CompletableFuture<Boolean> checked = new CompletableFuture<>();
                checkNow(false, checked);
                checked.whenComplete((r, e) -> loop.schedule(() -> join(list, f, attempt + 1),
                        AUTO_JOIN_RETRY_MILLIS * (attempt + 1)));
                return;
            }
            f.complete(0);
            return;
        }
        upkeepLookup(id(), self -> {
            List<Integer> buckets = table.bucketsToRefresh(loop.currentTimeMillis(), 1);
            if (buckets.isEmpty()) {
                f.complete(table.size());
                return;
            }
            int[] left = {buckets.size()};
            for (int b : buckets) {
                upkeepLookup(id().randomWithPrefix(b, random), o -> {
                    if (--left[0] == 0) {
                        f.complete(table.size());
                    }
                });
            }
        });
    }

    /** The k closest live nodes to {@code target} that the network knows. */
    public CompletableFuture<List<Contact>> findNode(NodeId target) {
        return onLoop(f -> lookup(target, Lookup.Kind.NODES, o -> {
            List<Contact> out = new ArrayList<>();
            o.closestAnswered().forEach(c -> out.add(c.contact));
            f.complete(out);
        }));
    }

    /**
     * Publishes a signed record: finds the k closest nodes to its key over disjoint paths
     * and asks each to store it with the write token it gave us. Completes once a majority
     * of them acknowledged (the record is then findable) or all have answered; the
     * remaining stores still go on.
     */
    public CompletableFuture<PutResult> put(SignedRecord record) {
        return onLoop(f -> {
            byte[] bytes = record.encoded();
            NodeId key = record.key();
            // Stores go out while the lookup runs, to nodes among the k closest known so far;
            // the result counts acknowledgements from the k closest the lookup settles on.
            Map<NodeId, Boolean> answers = new HashMap<>();
            Set<NodeId> asked = new HashSet<>();
            java.util.concurrent.atomic.AtomicReference<Set<NodeId>> finalTargets = new java.util.concurrent.atomic.AtomicReference<>();
            int[] hops = {0};
            Runnable check = () -> {
                Set<NodeId> targets = finalTargets.get();
                if (targets == null || f.isDone()) {
                    return;
                }
                int acked = 0;
                int answered = 0;
                for (NodeId t : targets) {
                    Boolean a = answers.get(t);
                    if (a != null) {
                        answered++;
                        if (a) {
                            acked++;
                        }
                    }
                }
                if (acked >= targets.size() / 2 + 1 || answered == targets.size()) {
                    f.complete(new PutResult(acked, targets.size(), hops[0]));
                }
            };
            java.util.function.Consumer<Lookup.Candidate> storeOnce = c -> {
                if (asked.add(c.contact.id())) {
                    storeAt(c, key, bytes, ok -> {
                        answers.put(c.contact.id(), ok);
                        check.run();
                    });
                }
            };
            table.lookedUp(key, loop.currentTimeMillis());
            Lookup l = new Lookup(this, key, Lookup.Kind.NODES, config.k(), config.alpha(), config.disjointPaths(),
                    o -> {
                        Set<NodeId> targets = new HashSet<>();
                        o.closestAnswered().forEach(c -> targets.add(c.contact.id()));
                        hops[0] = o.hops();
                        finalTargets.set(targets);
                        if (targets.isEmpty()) {
                            f.complete(new PutResult(0, 0, 0));
                            return;
                        }
                        o.closestAnswered().forEach(storeOnce);
                        check.run();
                    });
            l.onCloseAnswer(storeOnce);
            l.start(table.closest(key, config.k(), c -> false));
        });
    }

    /**
     * Looks a record up: queries the closest nodes to {@code key} over disjoint paths,
     * verifies every record returned, and keeps the highest seq. Nodes among the closest
     * that answered with an older record (and a couple that had none) get the newest one
     * written back.
     */
    public CompletableFuture<GetResult> get(NodeId key) {
        return onLoop(f -> lookup(key, Lookup.Kind.VALUE, o -> {
            SignedRecord best = o.best();
            int hops = o.hops();
            int holders = o.holders();
            Optional<SignedRecord> local = store.get(key, loop.currentTimeMillis());
            if (local.isPresent() && (best == null || local.get().seq() > best.seq())) {
                best = local.get();
                hops = 0;
                holders = 1;
            } else if (local.isPresent() && local.get().sameBytes(best)) {
                holders++;
            }
            int stale = 0;
            if (best != null) {
                byte[] bytes = best.encoded();
                int missing = 0;
                for (Lookup.Candidate c : o.closestAnswered()) {
                    boolean isStale = c.seq >= 0 && c.seq < best.seq();
                    if (isStale) {
                        stale++;
                    }
                    if (isStale || (c.seq < 0 && missing++ < MAX_WRITE_BACK_MISSING)) {
                        stats.countWriteBack();
                        storeAt(c, key, bytes, ok -> { });
                    }
                }
            }
            f.complete(new GetResult(Optional.ofNullable(best), hops, o.queried(), stale, o.invalid(), holders));
        }));
    }

    private void storeAt(Lookup.Candidate c, NodeId key, byte[] record, java.util.function.Consumer<Boolean> done) {
        if (c.token == null) {
            done.accept(false);
            return;
        }
        request(c.contact.address(), c.contact.id(), new Message.Store(key, c.token, record), new ReplyHandler() {
            @Override
            public void onReply(Datagram reply) {
                done.accept(StoreStatus.accepted(((Message.StoreAck) reply.message()).status()));
            }

            @Override
            public void onTimeout() {
                done.accept(false);
            }
        });
    }

    private void lookup(NodeId target, Lookup.Kind kind, java.util.function.Consumer<Lookup.Outcome> done) {
        lookup(target, kind, config.disjointPaths(), done);
    }

    /**
     * Table upkeep (join, refresh) looks with one path: it only needs contacts, not
     * protection of a result against hostile nodes, and costs a third of the datagrams.
     */
    private void upkeepLookup(NodeId target, java.util.function.Consumer<Lookup.Outcome> done) {
        lookup(target, Lookup.Kind.NODES, 1, done);
    }

    private void lookup(NodeId target, Lookup.Kind kind, int paths, java.util.function.Consumer<Lookup.Outcome> done) {
        table.lookedUp(target, loop.currentTimeMillis());
        Lookup l = new Lookup(this, target, kind, config.k(), config.alpha(), paths, done);
        l.start(table.closest(target, config.k(), c -> false));
    }

    // ---------------------------------------------------------------- contacts and admission

    /** Whether a contact learned from a reply may be queried: our family, admitted key, not us. */
    boolean usable(Contact c) {
        return !c.id().equals(id()) && (c.address().getAddress() instanceof Inet4Address) == ipv4
                && keyAdmitted(c.publicKey());
    }

    private boolean keyAdmitted(byte[] key) {
        return config.allowList().map(a -> a.contains(key) || Arrays.equals(key, publicKey)).orElse(true);
    }

    boolean recordAllowed(SignedRecord r) {
        return keyAdmitted(r.record().identityKey());
    }

    void sawInvalidRecord(Contact from, String why) {
        stats.countInvalidRecord();
        LOG.debug("{}: invalid record from {}: {}", id(), from, why);
    }

    /**
     * Adds a peer's DHT address to the routing table if it answers a challenge there; with
     * an allow-list, only a key on the list is taken. Used for contact offers.
     */
    public CompletableFuture<Optional<Contact>> addContact(InetSocketAddress address) {
        return onLoop(f -> challengeAddress(address, f::complete));
    }

    /**
     * Imports a contact offer someone handed us out of band: its key joins the allow-list
     * (when this node runs a private network) and its addresses are challenged; completes
     * with the contact once one address answered for that key.
     */
    public CompletableFuture<Optional<Contact>> importOffer(ContactOffer offer) {
        config.allowList().ifPresent(a -> a.add(offer.identityKey()));
        NodeId expected = offer.nodeId();
        return onLoop(f -> {
            if (offer.addresses().isEmpty()) {
                f.complete(Optional.empty());
                return;
            }
            int[] left = {offer.addresses().size()};
            for (InetSocketAddress a : offer.addresses()) {
                challengeAddress(a, expected, c -> {
                    if (c.isPresent()) {
                        f.complete(c);
                    }
                    if (--left[0] == 0) {
                        f.complete(Optional.empty());
                    }
                });
            }
        });
    }

    /** A contact seen on the wire: it enters the table only after answering a challenge. */
    private void consider(Contact c) {
        if (!usable(c)) {
            return;
        }
        long now = loop.currentTimeMillis();
        Optional<RoutingTable.Entry> known = table.get(c.id());
        if (known.isPresent()) {
            if (known.get().contact.address().equals(c.address())) {
                table.seen(c.id(), now);
            }
            return;
        }
        if (challenging.contains(c.id())) {
            return;
        }
        Long backoff = challengeBackoff.get(c.id());
        if (backoff != null && backoff > now) {
            return;
        }
        if (table.hasRoomFor(c)) {
            challengeAndAdd(c);
        } else if (table.bucketFull(c.id())) {
            // Long-lived contacts stay; the newcomer waits unless the oldest has gone quiet and fails a ping.
            table.offerReplacement(c);
            table.leastRecentlySeen(c.id()).ifPresent(oldest -> {
                if (now - oldest.lastSeenMillis >= config.contactStaleMillis()
                        && !challenging.contains(oldest.contact.id())) {
                    checkAlive(oldest.contact);
                }
            });
        }
    }

    private void checkAlive(Contact c) {
        challenging.add(c.id());
        request(c.address(), c.id(), new Message.Ping(nonce()), new ReplyHandler() {
            @Override
            public void onReply(Datagram reply) {
                challenging.remove(c.id());
            }

            @Override
            public void onTimeout() {
                challenging.remove(c.id());
                // request() counted the failure; the bucket may now have room.
            }
        });
    }

    private byte[] nonce() {
        byte[] n = new byte[MessageCodec.NONCE_OCTETS];
        random.nextBytes(n);
        return n;
    }

    private void challengeAndAdd(Contact c) {
        challenging.add(c.id());
        challengeAddress(c.address(), c.id(), result -> challenging.remove(c.id()));
    }

    private void challengeAddress(InetSocketAddress address, java.util.function.Consumer<Optional<Contact>> done) {
        challengeAddress(address, null, done);
    }

    /**
     * Sends a nonce to {@code address}; a reply signed over it by the key in its header
     * proves the key is held at that address, and the contact is added if there is room.
     */
    private void challengeAddress(InetSocketAddress address, NodeId expected,
                                  java.util.function.Consumer<Optional<Contact>> done) {
        byte[] nonce = nonce();
        request(address, expected, new Message.Ping(nonce), new ReplyHandler() {
            @Override
            public void onReply(Datagram reply) {
                byte[] key = reply.senderKey();
                byte[] signed = Arrays.copyOf(nonce, nonce.length + key.length);
                System.arraycopy(key, 0, signed, nonce.length, key.length);
                boolean ok = DomainSignature.verify(key, DomainSignature.CHALLENGE, signed,
                        ((Message.Pong) reply.message()).signature());
                stats.countChallenge(ok);
                Contact c = Contact.of(key, reply.puzzleNonce(), address);
                if (!ok) {
                    stats.countDropped(DropReason.BAD_SIGNATURE);
                    challengeBackoff.put(c.id(), loop.currentTimeMillis() + CHALLENGE_BACKOFF_MILLIS);
                    done.accept(Optional.empty());
                    return;
                }
                if (!reply.clientOnly() && usable(c)) {
                    table.add(c, loop.currentTimeMillis());
                }
                if (usable(c)) {
                    verifiedPeers.put(c.id(), c);
                    helperKnown();
                }
                done.accept(reply.clientOnly() ? Optional.empty() : Optional.of(c));
            }

            @Override
            public void onTimeout() {
                if (expected != null) {
                    challengeBackoff.put(expected, loop.currentTimeMillis() + CHALLENGE_BACKOFF_MILLIS);
                }
                done.accept(Optional.empty());
            }
        });
    }

    private void promoteReplacement(NodeId removed) {
        table.takeReplacement(table.bucketIndex(removed)).ifPresent(c -> {
            if (!challenging.contains(c.id())) {
                challengeAndAdd(c);
            }
        });
    }

    // ---------------------------------------------------------------- datagrams

    /** Sends a request and calls {@code handler} once: with the matching reply, or on timeout. */
    void request(InetSocketAddress to, NodeId expectedId, Message message, ReplyHandler handler) {
        if (closed) {
            handler.onTimeout();
            return;
        }
        long txid;
        do {
            txid = random.nextLong();
        } while (pending.containsKey(txid));
        Class<? extends Message> replyType = message instanceof Message.Ping ? Message.Pong.class
                : message instanceof Message.FindNode ? Message.Nodes.class
                : message instanceof Message.FindValue ? Message.Value.class
                : message instanceof Message.DialBack ? Message.DialBackAck.class : Message.StoreAck.class;
        Pending p = new Pending(to, expectedId, replyType, loop.nanoTime(), handler);
        long id = txid;
        long timeoutMillis = Math.max(1, (rtt.timeoutNanos(to) + 999_999) / 1_000_000);
        p.timer = loop.schedule(() -> timedOut(id), timeoutMillis);
        pending.put(txid, p);
        send(to, new Datagram(txid, publicKey, identity.puzzleNonce(), !serving, message));
    }

    private void timedOut(long txid) {
        Pending p = pending.remove(txid);
        if (p == null) {
            return;
        }
        stats.countTimeout();
        if (p.expectedId != null && table.failed(p.expectedId, config.maxContactFailures())) {
            promoteReplacement(p.expectedId);
        }
        p.handler.onTimeout();
    }

    private void send(InetSocketAddress to, Datagram d) {
        byte[] bytes = codec.encode(d);
        stats.countSent(bytes.length);
        transport.send(to, bytes);
    }

    private void onDatagram(InetSocketAddress from, byte[] data, int length) {
        if (closed) {
            return;
        }
        stats.countReceived();
        if (!limiter.tryAcquire(config.subnetPolicy().hostOf(from), loop.nanoTime())) {
            stats.countDropped(DropReason.RATE_LIMITED);
            return;
        }
        Datagram d;
        try {
            d = codec.decode(data, length, config.puzzleDifficultyBits());
        } catch (MalformedDatagramException e) {
            stats.countDropped(e.reason());
            LOG.debug("{}: dropped datagram from {}: {}", id(), from, e.getMessage());
            return;
        }
        byte[] key = d.senderKey();
        if (Arrays.equals(key, publicKey)) {
            stats.countDropped(DropReason.FROM_SELF);
            return;
        }
        if (!IdPuzzle.holds(key, d.puzzleNonce(), config.puzzleDifficultyBits())) {
            stats.countDropped(DropReason.BAD_PUZZLE);
            return;
        }
        if (!keyAdmitted(key)) {
            stats.countDropped(DropReason.NOT_ALLOWED);
            return;
        }
        if (d.message() instanceof Message.DialProbe p) {
            // Comes from a helper's spare port: evidence about us, not a contact to consider.
            onProbe(from, p);
            return;
        }
        if (d.message().isRequest()) {
            if (config.reachability() == Reachability.CLIENT) {
                return;
            }
            // An AUTO node answers while still a client only: nobody advertises it, so only peers
            // given its address ask, and a young network needs its first nodes as seeds and helpers.
            answer(from, d);
        } else if (!matchReply(from, d)) {
            return;
        }
        if (!d.clientOnly()) {
            consider(Contact.of(key, d.puzzleNonce(), from));
        } else if (!d.message().isRequest()) {
            // A contact that now answers as a client only (it found itself unreachable) leaves the table.
            // Only matched replies count: a request's source address could be forged to evict others.
            NodeId sender = NodeId.ofPublicKey(key);
            table.get(sender).filter(e -> e.contact.address().equals(from)).ifPresent(e -> table.remove(sender));
        }
    }

    private boolean matchReply(InetSocketAddress from, Datagram d) {
        Pending p = pending.get(d.txid());
        if (p == null || !p.to.equals(from)) {
            stats.countDropped(DropReason.UNSOLICITED);
            return false;
        }
        if (!p.replyType.isInstance(d.message())) {
            stats.countDropped(DropReason.MALFORMED);
            return false;
        }
        NodeId sender = NodeId.ofPublicKey(d.senderKey());
        if (p.expectedId != null && !p.expectedId.equals(sender)) {
            // Someone else answers from that address now: treat as no answer from the one we asked.
            stats.countDropped(DropReason.UNSOLICITED);
            return false;
        }
        pending.remove(d.txid());
        p.timer.cancel();
        rtt.sample(from, loop.nanoTime() - p.sentNanos);
        table.seen(sender, loop.currentTimeMillis());
        InetSocketAddress observed = observedIn(d.message());
        if (observed != null) {
            InetSocketAddress before = observedAddress;
            observedAddress = observed;
            if (before != null && !before.equals(observed)) {
                observedAddressChanged();
            }
        }
        p.handler.onReply(d);
        return true;
    }

    private static InetSocketAddress observedIn(Message m) {
        if (m instanceof Message.Pong p) return p.observed();
        if (m instanceof Message.Nodes n) return n.observed();
        if (m instanceof Message.Value v) return v.observed();
        if (m instanceof Message.StoreAck a) return a.observed();
        if (m instanceof Message.DialBackAck a) return a.observed();
        return null;
    }

    private void answer(InetSocketAddress from, Datagram d) {
        Message m = d.message();
        Message reply;
        if (m instanceof Message.Ping p) {
            byte[] signed = Arrays.copyOf(p.nonce(), p.nonce().length + publicKey.length);
            System.arraycopy(publicKey, 0, signed, p.nonce().length, publicKey.length);
            reply = new Message.Pong(from, identity.sign(DomainSignature.CHALLENGE, signed));
        } else if (m instanceof Message.FindNode f) {
            reply = new Message.Nodes(from, tokens.issue(from), closestFor(f.target(), from));
        } else if (m instanceof Message.FindValue f) {
            Optional<SignedRecord> r = store.get(f.key(), loop.currentTimeMillis());
            reply = new Message.Value(from, tokens.issue(from), r.map(SignedRecord::encoded).orElse(null),
                    closestFor(f.key(), from));
        } else if (m instanceof Message.DialBack b) {
            reply = new Message.DialBackAck(from, dialBack(from, b.nonce()) ? Message.DialBackAck.PROBE_SENT
                    : Message.DialBackAck.REFUSED);
        } else {
            reply = new Message.StoreAck(from, storeFor(from, (Message.Store) m));
        }
        send(from, new Datagram(d.txid(), publicKey, identity.puzzleNonce(), !serving, reply));
    }

    private List<Contact> closestFor(NodeId target, InetSocketAddress requester) {
        return table.closest(target, config.k(), c -> c.address().equals(requester));
    }

    private int storeFor(InetSocketAddress from, Message.Store s) {
        if (!tokens.valid(s.token(), from)) {
            return StoreStatus.BAD_TOKEN;
        }
        SignedRecord r;
        try {
            r = SignedRecord.decode(s.record());
        } catch (MalformedDatagramException e) {
            stats.countInvalidRecord(e.reason());
            LOG.debug("{}: refused invalid record from {}: {}", id(), from, e.getMessage());
            return StoreStatus.INVALID_RECORD;
        }
        StoreOutcome outcome = store.offer(s.key(), r, loop.currentTimeMillis());
        stats.countStored(outcome);
        return StoreStatus.of(outcome);
    }

    // ---------------------------------------------------------------- reachability (dial-back)

    /**
     * Answers a DIAL_BACK as a helper: one small probe to the address the request came from
     * (never elsewhere), from another port, within per-host and total rate limits.
     */
    private boolean dialBack(InetSocketAddress requester, byte[] nonce) {
        long now = loop.nanoTime();
        if (!dialBacksPerHost.tryAcquire(config.subnetPolicy().hostOf(requester), now)
                || !dialBacksTotal.tryAcquire("", now)) {
            stats.countDialBack(false);
            return false;
        }
        byte[] bytes = codec.encode(new Datagram(random.nextLong(), publicKey, identity.puzzleNonce(), !serving,
                new Message.DialProbe(nonce)));
        stats.countDialBack(true);
        stats.countSent(bytes.length);
        probeSender.send(requester, bytes);
        return true;
    }

    private void onProbe(InetSocketAddress from, Message.DialProbe p) {
        DialBackRound r = round;
        boolean counted = r != null && r.probe(p.nonce(), from, this::talkedTo);
        stats.countProbe(counted);
        if (!counted) {
            stats.countDropped(DropReason.UNSOLICITED);
            return;
        }
        evaluateRound(false);
    }

    /** Whether we have sent to {@code a} lately: a datagram from there passes a NAT filter, so it proves nothing. */
    private boolean talkedTo(InetSocketAddress a) {
        if (seeds.contains(a)) {
            return true;
        }
        for (Pending p : pending.values()) {
            if (p.to.equals(a)) {
                return true;
            }
        }
        for (Contact c : verifiedPeers.values()) {
            if (c.address().equals(a)) {
                return true;
            }
        }
        for (Contact c : table.all()) {
            if (c.address().equals(a)) {
                return true;
            }
        }
        return false;
    }

    /** A peer answered a challenge: while undecided, it may be the helper a check was waiting for. */
    private void helperKnown() {
        if (config.reachability() != Reachability.AUTO || round != null || closed
                || loop.currentTimeMillis() < nextCheckAtMillis) {
            return;
        }
        scheduleCheck(CHECK_DEBOUNCE_MILLIS);
    }

    private void observedAddressChanged() {
        if (config.reachability() != Reachability.AUTO) {
            return;
        }
        // A new address (another network, a NAT that remapped us) voids the verdict: check at once,
        // but a NAT that shows each peer another port must not make us check on every reply.
        long now = loop.currentTimeMillis();
        long at = Math.max(now, lastObservedTriggerMillis + OBSERVED_CHANGE_MIN_GAP_MILLIS);
        if (at < nextCheckAtMillis) {
            lastObservedTriggerMillis = at;
            nextCheckAtMillis = at;
            scheduleCheck(at - now);
        }
    }

    private void scheduleCheck(long delayMillis) {
        if (checkTimer != null) {
            checkTimer.cancel();
        }
        checkTimer = loop.schedule(() -> {
            checkTimer = null;
            if (!closed) {
                checkNow(false, new CompletableFuture<>());
            }
        }, delayMillis);
    }

    /**
     * Starts a round (or joins the running one) and completes {@code f} with its outcome. Without
     * {@code force}, a node whose verdict is still fresh answers at once; SERVER and CLIENT always do.
     */
    private void checkNow(boolean force, CompletableFuture<Boolean> f) {
        if (config.reachability() != Reachability.AUTO || closed) {
            f.complete(serving);
            return;
        }
        if (round != null) {
            roundWaiters.add(f);
            return;
        }
        long now = loop.currentTimeMillis();
        if (!force && now < nextCheckAtMillis) {
            f.complete(serving);
            return;
        }
        Map<NodeId, Contact> candidates = new java.util.LinkedHashMap<>(verifiedPeers);
        for (Contact c : table.all()) {
            candidates.putIfAbsent(c.id(), c);
        }
        List<Contact> helpers = DialBackRound.pickHelpers(new ArrayList<>(candidates.values()), config.subnetPolicy(),
                DialBackRound.HELPERS_PER_ROUND, random);
        if (helpers.isEmpty()) {
            // Nobody to ask yet: the next peer that answers a challenge starts the check.
            f.complete(serving);
            return;
        }
        DialBackRound r = new DialBackRound(config.subnetPolicy());
        round = r;
        stats.countReachabilityCheck();
        roundWaiters.add(f);
        roundTimer = loop.schedule(() -> {
            if (round == r) {
                evaluateRound(true);
            }
        }, config.reachabilityWaitMillis());
        for (Contact h : helpers) {
            byte[] nonce = nonce();
            r.asked(h.address(), nonce);
            request(h.address(), h.id(), new Message.DialBack(nonce), new ReplyHandler() {
                @Override
                public void onReply(Datagram reply) {
                    r.answered(h.address(),
                            ((Message.DialBackAck) reply.message()).status() == Message.DialBackAck.PROBE_SENT);
                    if (round == r) {
                        evaluateRound(false);
                    }
                }

                @Override
                public void onTimeout() {
                    r.noAnswer(h.address());
                    if (round == r) {
                        evaluateRound(false);
                    }
                }
            });
        }
    }

    private void evaluateRound(boolean deadlinePassed) {
        DialBackRound r = round;
        if (r == null) {
            return;
        }
        DialBackRound.Verdict v = r.verdict(deadlinePassed);
        if (v == DialBackRound.Verdict.PENDING) {
            return;
        }
        round = null;
        roundTimer.cancel();
        long now = loop.currentTimeMillis();
        boolean was = serving;
        switch (v) {
            case REACHABLE -> serving = true;
            case UNREACHABLE -> serving = false;
            default -> { }
        }
        nextCheckAtMillis = now + (v == DialBackRound.Verdict.INCONCLUSIVE ? INCONCLUSIVE_RETRY_MILLIS
                : config.reachabilityRecheckMillis());
        scheduleCheck(nextCheckAtMillis - now);
        LOG.debug("{}: reachability {} ({} of {} helpers confirmed); serving: {}", id(), v, r.confirmations(),
                r.helpersAsked(), serving);
        if (serving && !was) {
            announce();
        }
        List<CompletableFuture<Boolean>> waiters = new ArrayList<>(roundWaiters);
        roundWaiters.clear();
        waiters.forEach(w -> w.complete(serving));
    }

    /**
     * Now that we serve, tell the peers we know (they saw our client-only flag and left us out):
     * a challenge to each carries the new flag, so they consider us, and lets us take them into
     * our table if they serve. A lookup of our own ID then spreads the word near our ID.
     */
    private void announce() {
        Set<InetSocketAddress> to = new java.util.LinkedHashSet<>(seeds);
        verifiedPeers.values().forEach(c -> to.add(c.address()));
        for (InetSocketAddress a : to) {
            challengeAddress(a, c -> { });
        }
        upkeepLookup(id(), o -> { });
    }

    // ---------------------------------------------------------------- maintenance

    private void maintain() {
        long now = loop.currentTimeMillis();
        if (config.reachability() == Reachability.AUTO && round == null && now >= nextCheckAtMillis) {
            checkNow(false, new CompletableFuture<>());
        }
        store.expire(now);
        limiter.prune(loop.nanoTime());
        if (table.size() == 0 && !seeds.isEmpty()) {
            // Every contact is gone (or the seeds were down when we started): join again.
            join(seeds, new CompletableFuture<>());
            return;
        }
        for (Iterator<Map.Entry<NodeId, Long>> it = challengeBackoff.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() <= now) {
                it.remove();
            }
        }
        for (int b : table.bucketsToRefresh(now, config.bucketRefreshMillis())) {
            upkeepLookup(id().randomWithPrefix(b, random), o -> { });
        }
    }

    /**
     * Stops the node: no more datagrams are sent or handled, pending requests end as
     * timeouts, timers are cancelled, and a node opened with {@link #openUdp} closes its
     * socket and joins its reader and loop threads. Call it from the application's thread,
     * not from a callback of this node's futures (those run on the loop it would wait for).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        transport.close();
        Runnable stop = () -> {
            timers.forEach(EventLoop.Timer::cancel);
            if (roundTimer != null) {
                roundTimer.cancel();
            }
            if (checkTimer != null) {
                checkTimer.cancel();
            }
            round = null;
            roundWaiters.forEach(w -> w.complete(serving));
            roundWaiters.clear();
            List<Pending> left = new ArrayList<>(pending.values());
            pending.clear();
            for (Pending p : left) {
                p.timer.cancel();
                p.handler.onTimeout();
            }
        };
        if (ownedLoop != null) {
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            loop.execute(() -> {
                stop.run();
                stopped.complete(null);
            });
            try {
                stopped.get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("{}: pending requests not ended cleanly on close: {}", id(), e.toString());
            }
            try {
                ownedLoop.close();
            } catch (Exception e) {
                LOG.warn("{}: event loop did not close: {}", id(), e.toString());
            }
        } else {
            loop.execute(stop);
        }
    }

    @Override
    public String toString() {
        return "DhtNode[" + id() + " at " + transport.localAddress() + "]";
    }
}
