package org.xp2p.xmpp.device;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.ContactOffer;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.PresenceMirror;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eMode;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.PendingInbound;
import org.xp2p.schemas.KeyType;
import org.xp2p.upnp.MappingListener;
import org.xp2p.upnp.MappingRequest;
import org.xp2p.upnp.PortMapper;
import org.xp2p.upnp.PortMapperSettings;
import org.xp2p.upnp.PortMapping;
import org.xp2p.upnp.Protocol;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.schemas.smack.SynchE2eIq;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.broker.BrokerConfig;
import org.xp2p.xmpp.broker.BrokerSession;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.direct.DirectLinkAuthenticator;
import org.xp2p.xmpp.direct.DirectLinkConfig;
import org.xp2p.xmpp.direct.DirectLinks;
import org.xp2p.xmpp.link.Link;
import org.xp2p.xmpp.peers.PeerDirectory;
import org.xp2p.xmpp.peers.DirectoryKeyBook;
import org.xp2p.xmpp.routing.Delivery;
import org.xp2p.xmpp.routing.Response;
import org.xp2p.xmpp.routing.Router;
import org.xp2p.xmpp.routing.RouterConfig;
import org.xp2p.xmpp.DaemonThreads;
import org.xp2p.xmpp.OrderedParallelStage;

/**
 * A device in broker mode with direct links: it logs in to its broker, publishes its keys
 * ({@code <e2e/>}) and link endpoints ({@code <p2p/>}) in presence, learns its contacts'
 * from theirs, and sends every message and iq end-to-end encrypted over a direct link when
 * one is open or can be opened, else over the broker, never losing one (see
 * {@link Router}). Received stanzas reach the {@link StanzaHandler} with the path they
 * took. (The link-local device of {@code org.xp2p.xmpp.linklocal} is separate for now;
 * unifying the two is a later step.)
 *
 * <p>With a DHT node ({@code .dht(node)}) and the contact offers of its peers
 * ({@code .contact(offer)}), the device also mirrors its presence into the DHT and learns
 * theirs from their signed records (see {@link DhtPresence}), so direct links still open
 * while the broker is down, even to a contact that restarted meanwhile; such a device
 * also starts when its broker cannot be reached, and logs in once it can.
 *
 * <p>Threads: the device owns a pool (per-peer routing lanes, link opening, and the
 * decryption of received stanzas, several at once), one inbound thread (the rest of
 * {@link InboundPipeline} and the handler, in each path's arrival order: see
 * {@link OrderedParallelStage}), one timer thread (reconnection, keep-alives, timeouts)
 * and, with port mapping, one thread for the mapper's blocking exchanges with the
 * gateway; links and Smack own theirs. {@link #close()} stops all of them.
 */
public final class Device implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Device.class);

    private final Builder config;
    private final ExecutorService pool;
    private final ExecutorService inboundThread;
    /** Decrypts received stanzas on the pool and hands them to the inbound thread in order, one lane per path. */
    private final OrderedParallelStage decryption;
    private final OrderedParallelStage.Lane brokerLane;
    private final ScheduledExecutorService timers;
    private final LocalKeyRing ring;
    private final E2eEndpoint e2e;
    private final PeerDirectory directory = new PeerDirectory();
    private final DirectoryKeyBook keyBook;
    private final BrokerSession broker;
    /** Our presence in the DHT and our offer contacts' there; null without a DHT node. */
    private final DhtPresence dht;
    private final EntityFullJid jid;
    private DirectLinks links;
    private DirectLinkAuthenticator authenticator;
    private Router router;
    private InboundPipeline inbound;
    private volatile InetSocketAddress externalEndpoint;
    private volatile boolean closed;
    /** Maps our link port on the gateway when asked to; its renewals block, so it has its own thread. */
    private ScheduledExecutorService mapperThread;
    private PortMapper mapper;

    private Device(Builder b) {
        this.config = b;
        // first: a bad offer must fail before any thread starts
        this.dht = b.dhtNode == null ? null : new DhtPresence(b.dhtNode, b.offers, directory);
        String name = b.broker.username();
        this.pool = Executors.newCachedThreadPool(DaemonThreads.named("xp2p-" + name + "-pool"));
        this.inboundThread = Executors.newSingleThreadExecutor(DaemonThreads.named("xp2p-" + name + "-inbound"));
        this.timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("xp2p-" + name + "-timer"));
        this.decryption = new OrderedParallelStage("xp2p-" + name + "-decryption", pool, inboundThread,
                MAX_STANZAS_IN_FLIGHT_PER_PATH, Runtime.getRuntime().availableProcessors(), SIGNATURES_PER_BATCH,
                this::verifyTogether);
        this.brokerLane = decryption.newLane();
        SecureRandom random = new SecureRandom();
        this.ring = new LocalKeyRing(b.keyTypes, b.e2ePolicy.minSecurityBits(), random);
        this.e2e = new E2eEndpoint(ring, b.e2ePolicy, random);
        this.keyBook = new DirectoryKeyBook(e2e);
        directory.addListener(keyBook);
        this.externalEndpoint = b.externalEndpoint;
        try {
            this.jid = JidCreate.entityFullFrom(b.broker.fullJid());
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException("invalid JID " + b.broker.fullJid() + ": " + e.getMessage(), e);
        }
        // Presences and subscription requests go through the broker's lane too, so they stay
        // in line with the messages around them (a presence brings the keys the next ones need).
        this.broker = new BrokerSession(b.broker, b.subscriptions, directory, timers, this::inBrokerOrder,
                new BrokerEvents());
    }

    /**
     * Received stanzas one path may hold between its reader and the handler (being decrypted,
     * or decrypted and waiting for those ahead): at this many the reader waits, which slows
     * the sender through TCP rather than buffering without bound. (The broker path's reader
     * waits once {@link BrokerSession#MAX_STANZAS_QUEUED_IN_SMACK} more queue in Smack behind
     * a full lane.) Twice the router's default window of unconfirmed messages, so a sender
     * within it (plus its receipts) never waits.
     */
    static final int MAX_STANZAS_IN_FLIGHT_PER_PATH = 512;
    /** Ed25519 batches beyond this gain little more per signature, and hold up the first stanza longer. */
    static final int SIGNATURES_PER_BATCH = 64;

    private void inBrokerOrder(Runnable task) {
        try {
            brokerLane.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    public static Builder builder(BrokerConfig broker) {
        return new Builder(broker);
    }

    private void start() throws IOException, InterruptedException, SmackException, XMPPException {
        if (config.direct != null) {
            authenticator = new DirectLinkAuthenticator(directory, this::linkContact, this::endpoints,
                    this::lookUpAgain);
            links = DirectLinks.start(config.direct, jid.toString(), authenticator, timers, new LinkEvents());
        }
        router = new Router(config.direct == null ? config.router.withDirectEnabled(false) : config.router, jid, e2e,
                keyBook, directory, links, broker, this::endpoints, pool, timers);
        router.setResynchroniser(this::resynchronise);
        router.setLookUpAgain(this::lookUpAgain);
        inbound = new InboundPipeline(e2e, keyBook, directory, broker, this::approvedContact, router, config.handler,
                this::endpoints, jid, inboundThread, this::resynchronise);
        ring.addRotationListener(g -> republish());
        broker.publish(e2e.e2eElement(), endpoints());
        if (dht == null) {
            broker.start();
        } else {
            dht.publish(jid, endpoints(), e2e.e2eElement());
            dht.startRefreshing(timers, config.dhtRefresh);
            if (!broker.startOrKeepTrying()) {
                LOG.info("{}: broker unreachable; contacts are found through the DHT until it is back", jid);
            }
        }
        if (config.portMapping != null && links != null) {
            startPortMapping(config.portMapping);
        }
    }

    /**
     * Maps our link port (TCP, the same external port preferred) with the port mapper; the
     * mapping's external endpoint is published as soon as it is reachable, and withdrawn when
     * it is lost (see {@link #portMappingListener()}). Mapping blocks for up to a discovery
     * timeout per method, so it runs on the mapper's own thread, not in start().
     */
    private void startPortMapping(PortMapperSettings settings) {
        mapperThread = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("xp2p-" + config.broker.username() + "-portmap"));
        mapper = new PortMapper(settings, mapperThread);
        mapper.addListener(portMappingListener());
        MappingRequest request = new MappingRequest(Protocol.TCP, links.port(), links.port(), PORT_MAPPING_LIFETIME,
                mappingDescription());
        mapperThread.execute(() -> {
            if (!closed) {
                PortMapping m = mapper.map(request);
                LOG.info("{}: port mapping of link port {}: {}", jid, links.port(), m.status());
            }
        });
    }

    /** Marks the mapping as ours on UPnP gateways (at most 64 characters), so a restarted device reuses it. */
    private String mappingDescription() {
        String d = "xp2p link " + jid.asBareJid();
        return d.length() <= 64 ? d : d.substring(0, 64);
    }

    /** How often offer contacts' DHT records are looked up unless the builder says otherwise. */
    static final Duration DEFAULT_DHT_REFRESH = Duration.ofMinutes(5);

    /** Lease asked for the link port's mapping; the mapper renews it well before it runs out. */
    static final Duration PORT_MAPPING_LIFETIME = Duration.ofHours(1);

    /** Our full JID. */
    public EntityFullJid jid() {
        return jid;
    }

    /**
     * Sends a message to a peer's full JID: directly when possible, else through the broker,
     * end-to-end encrypted either way. Completes when the peer's receipt arrives.
     */
    public CompletableFuture<Delivery> send(Message message) {
        return router.send(message);
    }

    /** Sends an iq get or set; completes with the (decrypted) response. */
    public CompletableFuture<Response> request(IQ iq) {
        return router.request(iq);
    }

    /** Exchanges keys and endpoints with a peer by synchE2e over the broker. */
    public CompletableFuture<SynchE2eIq> synchronizeKeys(String peer) {
        return router.synchronizeKeys(peer, new SynchE2eIq(e2e.e2eElement(), endpoints()));
    }

    /** Asks a contact for a presence subscription. */
    public void subscribe(BareJid contact) throws SmackException, XMPPException, InterruptedException {
        broker.subscribe(contact);
    }

    /** Approves a subscription request left to the application by the policy. */
    public void approve(BareJid contact) throws SmackException, XMPPException, InterruptedException {
        broker.approve(contact);
    }

    public void deny(BareJid contact) throws SmackException.NotConnectedException, InterruptedException {
        broker.deny(contact);
    }

    public List<BareJid> pendingSubscriptions() {
        return broker.pendingRequests();
    }

    /** Everything we know about our peers, merged from all sources. */
    public PeerDirectory directory() {
        return directory;
    }

    public Optional<PeerInfo> peer(String fullJid) {
        return directory.get(fullJid);
    }

    public boolean online() {
        return broker.online();
    }

    /** Our {@code <p2p/>} as published, or null without direct links. */
    public P2pElement endpoints() {
        if (links == null) {
            return null;
        }
        InetSocketAddress local = new InetSocketAddress(links.localAddress(), links.port());
        InetSocketAddress external = externalEndpoint;
        if (external == null) {
            external = config.direct.ownExternal().map(a -> new InetSocketAddress(a, links.port())).orElse(local);
        }
        return P2pElement.of(external, local);
    }

    /**
     * Our endpoint as the Internet sees it changed (a new port mapping, a new address):
     * publish it. This is where a port mapper's listener plugs in.
     */
    public void setExternalEndpoint(InetSocketAddress external) {
        this.externalEndpoint = external;
        republish();
    }

    /**
     * A port mapper's listener (see {@code org.xp2p.upnp.PortMapper}): a publicly reachable
     * mapping becomes our published external endpoint; anything else (no gateway, failed,
     * closed, or a gateway whose own address is not public) withdraws it, and we publish our
     * own address again. Runs the re-publication on the device's pool, never blocking the
     * mapper's thread.
     */
    public MappingListener portMappingListener() {
        return (mapping, previous, current) -> pool.execute(() -> setExternalEndpoint(current.publiclyReachable()
                ? current.mapping().map(m -> new InetSocketAddress(m.externalAddress(), m.externalPort())).orElse(null)
                : null));
    }

    /**
     * Publishes our presence again, to the broker and into the DHT. The device does so itself
     * on every change of keys or endpoints; call this when the DHT node has just found peers
     * (a record published while it had none was stored nowhere, and the mirror's retry waits
     * 30 s and more).
     */
    public void republish() {
        if (!closed) {
            broker.publish(e2e.e2eElement(), endpoints());
            if (dht != null) {
                dht.publish(jid, endpoints(), e2e.e2eElement());
            }
        }
    }

    /** May open links to us: an approved, mutual subscription, or an account whose offer we imported. */
    private boolean linkContact(Jid j) {
        return (broker.approved(j) && broker.subscribedTo(j)) || (dht != null && dht.isContact(j));
    }

    /** May ask for our keys: our own account, an approved subscription, or an account whose offer we imported. */
    private boolean approvedContact(Jid j) {
        return broker.approved(j) || (dht != null && dht.isContact(j));
    }

    /** A contact's DHT record fetched again (bounded wait); true when one came in. */
    private boolean lookUpAgain(String peer) {
        if (dht == null) {
            return false;
        }
        try {
            return dht.lookUpNow(JidCreate.from(peer));
        } catch (XmppStringprepException e) {
            return false;
        }
    }

    /**
     * Fresh keys for {@code peer}: by synchE2e through the broker, or, while the broker is
     * down, from the peer's DHT record when it is an offer contact.
     */
    private CompletableFuture<?> resynchronise(String peer) {
        if (dht != null && !broker.online()) {
            try {
                Jid j = JidCreate.from(peer);
                if (dht.isContact(j)) {
                    return dht.lookUp(j);
                }
            } catch (XmppStringprepException e) {
                // not a JID: the broker's synchE2e reports it
            }
        }
        return synchronizeKeys(peer);
    }

    /** Our DHT side, for tests; null without a DHT node. */
    DhtPresence dhtPresence() {
        return dht;
    }

    /** The open direct link to {@code peer}, if any. */
    public Optional<Link> link(String peer) {
        return links == null ? Optional.empty() : links.link(peer);
    }

    public Map<String, Link> links() {
        return links == null ? Map.of() : links.links();
    }

    public E2eEndpoint e2e() {
        return e2e;
    }

    public DeviceStats stats() {
        Link.Counters c = links == null ? new Link.Counters() : links.counters();
        return new DeviceStats(router.stats(), inbound.duplicates.get(), inbound.plaintextRefused.get(),
                e2e.stats().snapshot().rejected().values().stream().mapToLong(Long::longValue).sum(), authenticator == null ? 0 : authenticator.refused(),
                c.streamErrorsSent.get(), inbound.synchRefused.get(), inbound.heldForKeys.get(),
                inbound.failures.get() + inbound.parkOverflow.get());
    }

    /** For tests: cuts the broker connection as a network failure would; it reconnects. */
    public void dropBrokerConnection() {
        broker.dropConnectionForTest();
    }

    private final class BrokerEvents implements BrokerSession.Events {
        @Override
        public void online(boolean reconnected) {
            if (reconnected) {
                ring.onReconnect(); // fresh keys per connection; the rotation listener republishes
            }
        }

        @Override
        public void ready(long session) {
            if (router != null && session > 1) {
                router.brokerReconnected();
            }
        }

        @Override
        public void offline(String reason) {
        }

        @Override
        public void stanza(Stanza stanza) {
            inbound.handle(stanza, DeliveryPath.BROKER, null);
        }

        /** Decrypted on the pool, several at once, and handled on the inbound thread in arrival order. */
        @Override
        public void received(Stanza stanza, java.util.concurrent.Executor ignored) {
            decrypt(brokerLane, stanza, DeliveryPath.BROKER, null);
        }

        @Override
        public void subscriptionRequested(BareJid from) {
            LOG.info("{}: subscription request from {} waits for approve() or deny()", jid, from);
        }

        @Override
        public void peerAvailable(Jid peer) {
            if (router != null) {
                router.peerAvailable(peer.toString());
            }
        }
    }

    private final class LinkEvents implements DirectLinks.Events {
        /**
         * One decryption lane per peer, not per link: a new link's stanzas are handled after
         * the old link's backlog (per-path order). Called on the link's reader thread, which
         * waits while the peer's lane is full.
         */
        private final Map<String, OrderedParallelStage.Lane> lanes = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void stanza(Link link, Stanza stanza) {
            while (true) {
                OrderedParallelStage.Lane lane;
                try {
                    lane = lanes.computeIfAbsent(link.peer(), p -> decryption.newLane());
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return; // closing
                }
                if (decrypt(lane, stanza, DeliveryPath.DIRECT_LINK, link)) {
                    return;
                }
                lanes.remove(link.peer(), lane); // retired meanwhile, idle: a new lane keeps the order
            }
        }

        @Override
        public void closed(Link link, String reason) {
            LOG.debug("{}: link to {} closed: {}", jid, link.peer(), reason);
            if (router != null) {
                router.linkClosed(link);
            }
            if (link.peer() != null) { // null: refused before it named its peer; no lane was made for it
                retireLaneWhenIdle(link.peer());
            }
        }

        /**
         * Once a peer has no link left and its lane has released the last link's stanzas, the
         * lane goes: peers come and go, lanes should not pile up. Tried again each second while
         * that backlog drains; a new link in the meantime keeps the lane.
         */
        private void retireLaneWhenIdle(String peer) {
            OrderedParallelStage.Lane lane = lanes.get(peer);
            if (lane == null || closed || links.link(peer).isPresent()) {
                return;
            }
            if (lane.retireIfIdle()) {
                lanes.remove(peer, lane);
                return;
            }
            try {
                timers.schedule(() -> retireLaneWhenIdle(peer), 1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the device is closing, and its lanes with it
            }
        }
    }

    /** Lanes of the decryption stage: the broker's, and one per peer that has or just had a direct link. */
    int decryptionLanes() {
        return decryption.laneCount();
    }

    /**
     * Received stanzas the broker path holds: read by Smack and queued there, or in the broker's
     * lane, not yet handled. At most {@link BrokerSession#MAX_STANZAS_QUEUED_IN_SMACK} plus
     * {@link #MAX_STANZAS_IN_FLIGHT_PER_PATH}; for tests of that bound.
     */
    int brokerBacklog() {
        return broker.stanzasQueuedInSmack() + brokerLane.inFlight();
    }

    /**
     * Checks the signatures of stanzas decrypted together in one batch, several times cheaper
     * per stanza than one by one (see {@link E2eEndpoint#verifySignatures}).
     */
    private void verifyTogether(List<Object> decrypted) {
        List<PendingInbound> unverified = new ArrayList<>(decrypted.size());
        for (Object result : decrypted) {
            if (result instanceof InboundPipeline.Early early && early.decrypted().awaitsSignature()) {
                unverified.add(early.decrypted());
            }
        }
        if (!unverified.isEmpty()) {
            e2e.verifySignatures(unverified);
        }
    }

    /**
     * Decrypts {@code stanza} on the pool, then hands it to the inbound pipeline in the lane's
     * order; false when the lane was retired, so that the caller submits to a new one.
     */
    private boolean decrypt(OrderedParallelStage.Lane lane, Stanza stanza, DeliveryPath path, Link link) {
        try {
            lane.submit(() -> inbound.decryptEarly(stanza), (early, failure) -> {
                if (failure != null) {
                    inbound.dropFailed(stanza, failure);
                } else {
                    inbound.handle(stanza, path, link, early, lane);
                }
            });
        } catch (OrderedParallelStage.RetiredLaneException e) {
            return false;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (!closed) {
                LOG.warn("{}: dropped {} id={} from {}: {}", jid, stanza.getClass().getSimpleName(),
                        stanza.getStanzaId(), stanza.getFrom(), e.getMessage());
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        decryption.close(); // first: wakes link readers waiting for room, so links close promptly
        if (mapperThread != null) {
            // Wait for a mapping in progress, then delete what we mapped on the gateway.
            mapperThread.shutdown();
            try {
                mapperThread.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            mapper.close();
            mapperThread.shutdownNow();
        }
        if (router != null) {
            router.close();
        }
        if (links != null) {
            links.close();
        }
        if (dht != null) {
            dht.close();
        }
        broker.close();
        timers.shutdownNow();
        pool.shutdownNow();
        inboundThread.shutdownNow();
        try {
            timers.awaitTermination(5, TimeUnit.SECONDS);
            pool.awaitTermination(5, TimeUnit.SECONDS);
            inboundThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * E2E required, and a replay window of 65,536 counters: one counter serves both paths,
     * and a stanza over the broker may arrive after thousands sent later over the link.
     */
    public static E2ePolicy defaultPolicy() {
        E2ePolicy p = E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E);
        return new E2ePolicy(p.minSecurityBits(), p.preferredKeyTypes(), p.preferredCiphers(), p.mode(),
                p.acceptUnauthenticatedCiphers(), REPLAY_WINDOW);
    }

    /** Counters accepted below the highest seen per peer key; see {@link #defaultPolicy()}. */
    public static final int REPLAY_WINDOW = 1 << 16;

    /** The settings of a device; {@link #start()} builds and starts it. Not thread-safe. */
    public static final class Builder {
        private final BrokerConfig broker;
        private SubscriptionPolicy subscriptions = SubscriptionPolicy.manual();
        private E2ePolicy e2ePolicy = defaultPolicy();
        private Collection<KeyType> keyTypes = List.of(KeyType.ED25519, KeyType.X25519, KeyType.P256);
        private DirectLinkConfig direct;
        private InetSocketAddress externalEndpoint;
        private RouterConfig router = RouterConfig.defaults();
        private StanzaHandler handler = (m, a) -> {
        };
        private PortMapperSettings portMapping;
        private DhtNode dhtNode;
        private final List<ContactOffer> offers = new ArrayList<>();
        private Duration dhtRefresh = DEFAULT_DHT_REFRESH;

        private Builder(BrokerConfig broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
        }

        public Builder subscriptions(SubscriptionPolicy policy) {
            this.subscriptions = Objects.requireNonNull(policy);
            return this;
        }

        /** The E2E policy; the default requires E2E for every message and iq. */
        public Builder e2ePolicy(E2ePolicy policy) {
            this.e2ePolicy = Objects.requireNonNull(policy);
            return this;
        }

        /** The key types we generate and publish (default ed25519, x25519, p256). */
        public Builder keyTypes(Collection<KeyType> types) {
            this.keyTypes = List.copyOf(types);
            return this;
        }

        /** Accept and open direct links; without this the device uses the broker only. */
        public Builder directLinks(DirectLinkConfig config) {
            this.direct = config;
            return this;
        }

        /** The external endpoint to publish (e.g. from a port mapping); default: our own address. */
        public Builder externalEndpoint(InetSocketAddress external) {
            this.externalEndpoint = external;
            return this;
        }

        /**
         * Map our link port on the Internet gateway (PCP, NAT-PMP or UPnP IGD, as the settings
         * say) and publish the mapping's external endpoint in {@code <p2p/>} while it is
         * reachable; {@link Device#close()} deletes the mapping. Needs {@link #directLinks}.
         */
        public Builder portMapping(PortMapperSettings settings) {
            this.portMapping = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Mirror our presence into the DHT through {@code node} (which stays the caller's, and
         * whose identity key signs our record), and learn our offer contacts' from theirs.
         */
        public Builder dht(DhtNode node) {
            this.dhtNode = Objects.requireNonNull(node, "node");
            return this;
        }

        /**
         * A contact known by its offer: its account may open direct links and ask for our
         * keys, as an approved subscription may, and its DHT record (signed by the offer's
         * identity key, for names of the offer's account only) tells us where it is and which
         * keys it uses while the broker cannot. Needs {@link #dht}.
         */
        public Builder contact(ContactOffer offer) {
            offers.add(Objects.requireNonNull(offer, "offer"));
            return this;
        }

        /** How often every offer contact's record is looked up (default five minutes). */
        public Builder dhtRefresh(Duration period) {
            this.dhtRefresh = PresenceMirror.requireRefreshPeriod(period);
            return this;
        }

        public Builder router(RouterConfig config) {
            this.router = Objects.requireNonNull(config);
            return this;
        }

        public Builder handler(StanzaHandler h) {
            this.handler = Objects.requireNonNull(h);
            return this;
        }

        /** Builds the device, logs in (failing here on a wrong password or certificate) and publishes. */
        public Device start() throws IOException, InterruptedException, SmackException, XMPPException {
            if (portMapping != null && direct == null) {
                throw new IllegalStateException("portMapping maps the direct-link port: configure directLinks too");
            }
            if (!offers.isEmpty() && dhtNode == null) {
                throw new IllegalStateException("contact offers are looked up in the DHT: configure dht(node) too");
            }
            Device d = new Device(this);
            try {
                d.start();
            } catch (IOException | InterruptedException | SmackException | XMPPException | RuntimeException e) {
                d.close();
                throw e;
            }
            return d;
        }
    }
}
