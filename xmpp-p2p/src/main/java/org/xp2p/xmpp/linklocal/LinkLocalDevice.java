package org.xp2p.xmpp.linklocal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.jivesoftware.smack.SmackConfiguration;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.mdns.Advertisement;
import org.xp2p.discovery.mdns.LinkLocalPresence;
import org.xp2p.discovery.mdns.MdnsPresence;
import org.xp2p.discovery.mdns.PresenceListener;
import org.xp2p.discovery.mdns.PresenceStatus;
import org.xp2p.schemas.smack.Xp2pProviders;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.DaemonThreads;
import org.xp2p.xmpp.SerialExecutor;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.StanzaProtector;
import org.xp2p.xmpp.StanzaRejectedException;
import org.xp2p.xmpp.link.Link;
import org.xp2p.xmpp.link.LinkClosedException;
import org.xp2p.xmpp.link.LinkConfig;
import org.xp2p.xmpp.link.LinkConnector;
import org.xp2p.xmpp.link.LinkServer;
import org.xp2p.xmpp.link.StreamErrorCondition;
import org.xp2p.xmpp.link.StreamFault;
import org.xp2p.xmpp.direct.AddressChoice;
import org.xp2p.xmpp.secure.E2eStanzaProtector;
import org.xp2p.discovery.dht.ContactOffer;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.PresenceMirror;
import org.xp2p.schemas.smack.P2pElement;

/**
 * A serverless XMPP device (XEP-0174): announces itself on one interface address with
 * mDNS, sees the other {@code _presence._tcp} peers, accepts their streams (only from the
 * addresses they advertise) and opens streams to them on demand, one link per peer,
 * reused while it lives. Stanzas reach the application's {@link StanzaHandler} with
 * {@link DeliveryPath#LINK_LOCAL}.
 *
 * <p>With a DHT node ({@link Builder#dht}) it also publishes its presence there and reaches
 * contacts known by identity key through their signed records ({@link DhtPeers}): such
 * links arrive as {@link DeliveryPath#DIRECT_LINK}, and a peer the mDNS browser sees at
 * the link's address stays link-local. mDNS can be switched off ({@link Builder#mdns}).
 *
 * <p>In secured mode, when our E2E keys rotate, every open secured link re-synchronises
 * (synchE2e and identity proof again) without closing; sends to that peer wait in their
 * queue until the peer holds our new keys, so none is sealed with keys it cannot verify.
 *
 * <p>Threads: the device owns an executor (handlers, resolves, connects, mDNS events) and
 * a scheduler (keep-alives, idle checks, iq timeouts); each link owns its reader and
 * writer; jmDNS owns its own; DHT lookups complete on the node's loop. {@link #close()}
 * stops all of them: our DHT republishing, the goodbye, then the server, the links, and
 * the executors. The DHT node itself is the caller's to close.
 */
public final class LinkLocalDevice implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkLocalDevice.class);
    /** How long an iq request waits for its answer. */
    public static final long IQ_TIMEOUT_SECONDS = 30;
    /** How long an inbound stream from a not-yet-seen instance waits for an mDNS answer about it. */
    public static final long RESOLVE_ON_CONNECT_MILLIS = 3000;
    /** How many re-synchronisations one stanza waits through when our keys keep rotating under it. */
    private static final int MAX_REKEYS_PER_STANZA = 3;
    /** How long a re-synchronisation waits for our new keys to be stored in the DHT (peers check them there). */
    private static final long REPUBLISH_WAIT_SECONDS = 10;
    /** Probing takes about a second; this only bounds a responder that never finishes. */
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(15);

    private final LinkConfig config;
    private final StanzaHandler handler;
    private final StanzaProtector protector;
    private final ExecutorService executor;
    private final ScheduledExecutorService timers;
    private final LinkLocalPeers peers = new LinkLocalPeers();
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Link>> connecting = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<IQ>> pendingIqs = new ConcurrentHashMap<>();
    /** Answers to the protector's own iqs (synchE2e...), which travel in the clear. */
    private final Map<String, CompletableFuture<IQ>> pendingClear = new ConcurrentHashMap<>();
    private final List<BiConsumer<Link, String>> linkClosedListeners = new CopyOnWriteArrayList<>();
    /** Per peer: the last send queued, so that the next one is queued after it. */
    private final Map<String, CompletableFuture<Void>> sendTails = new java.util.HashMap<>();
    /**
     * Each link's received stanzas, handled in order on the executor. Bounded: while
     * {@link #MAX_QUEUED_PER_LINK} wait, the link's reader stops reading, so a peer that sends
     * faster than we handle is slowed down by TCP instead of filling our memory.
     */
    private final Map<Link, Inbox> inboxes = new ConcurrentHashMap<>();
    static final int MAX_QUEUED_PER_LINK = 512;
    /** Ed25519 batches beyond this gain little more per signature, and hold up the first stanza longer. */
    private static final int STANZAS_PER_RUN = 64;
    private final Link.Counters counters = new Link.Counters();
    private final AtomicInteger dropped = new AtomicInteger();
    private final String requestedInstance;
    private final LinkLocalPresence presenceTemplate;
    private final String hostName;
    private final boolean mdnsEnabled;
    /** Null unless the builder was given a DHT node. */
    private final DhtPeers dht;
    private final Optional<InetSocketAddress> initialExternal;
    private final List<ContactOffer> initialOffers;
    private final List<byte[]> initialContactKeys;
    /** Per peer: the path its link came by (link-local for mDNS peers, direct for DHT contacts). */
    private final Map<String, DeliveryPath> paths = new ConcurrentHashMap<>();
    /** Links on which the peer proved its identity (secured mode): key changes there are re-synchronisations. */
    private final java.util.Set<Link> securedLinks = ConcurrentHashMap.newKeySet();
    /** Per link: the key re-synchronisation in progress, which sends to its peer wait for. */
    private final Map<Link, CompletableFuture<Void>> rekeys = new ConcurrentHashMap<>();
    private volatile Runnable stopKeyListener = () -> {
    };

    private volatile String instance;
    private MdnsPresence mdns;
    private LinkServer server;
    private volatile Advertisement advertisement;
    private LinkConnector connector;
    private volatile boolean closed;

    private LinkLocalDevice(Builder b) {
        this.config = b.config;
        this.handler = b.handler;
        this.protector = b.protector;
        this.requestedInstance = b.instance;
        this.instance = b.instance;
        this.presenceTemplate = b.presence;
        this.hostName = b.hostName;
        this.mdnsEnabled = b.mdns;
        this.initialExternal = Optional.ofNullable(b.externalEndpoint);
        this.dht = b.dhtNode == null ? null : new DhtPeers(b.dhtNode, b.dhtRefresh);
        this.initialOffers = List.copyOf(b.offers);
        this.initialContactKeys = List.copyOf(b.contactKeys);
        this.executor = Executors.newCachedThreadPool(DaemonThreads.named("xp2p-device-" + b.instance));
        this.timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("xp2p-timer-" + b.instance));
        if (b.presenceListener != null) {
            peers.addListener(b.presenceListener);
        }
    }

    /**
     * @param instance    our instance name, {@code user@machine}
     * @param bindAddress the one interface address for mDNS and links; required
     */
    public static Builder builder(String instance, InetAddress bindAddress) {
        return new Builder(instance, bindAddress);
    }

    private void start() throws IOException {
        SmackConfiguration.getDefaultReplyTimeout(); // initialises Smack: loads its providers (smack-extensions too)
        Xp2pProviders.register();
        peers.addListener(new PresenceListener() {
            @Override
            public void peerAdded(PeerInfo peer) {
            }

            @Override
            public void peerUpdated(PeerInfo peer) {
            }

            @Override
            public void peerRemoved(String gone) {
                closeLinksTo(gone, "peer left the network (mDNS goodbye or expiry)");
            }
        });
        E2eStanzaProtector secured = null;
        if (dht != null) {
            if (!(protector instanceof E2eStanzaProtector e2e)) {
                throw new IllegalStateException("DHT peers are authenticated by identity key: give the device an "
                        + "E2eStanzaProtector, not a plain one");
            }
            if (!java.util.Arrays.equals(e2e.identityPublicKey(), dht.node().identity().publicKey())) {
                throw new IllegalStateException("the DHT node signs our record with another identity key than the "
                        + "protector proves on links; build both from the same IdentityKey");
            }
            if (config.bindAddress().isAnyLocalAddress()) {
                throw new IllegalStateException("with a DHT, bind to a concrete address: it is published in our record");
            }
            secured = e2e;
            secured.bind(dht);
            initialOffers.forEach(dht::addContact);
            initialContactKeys.forEach(dht::addContact);
        }
        Link.Listener listener = new DeviceLinkListener();
        server = LinkServer.start(config, this::instance, this::authenticate, timers, listener, counters, link -> {
        });
        connector = new LinkConnector(config, this::instance, timers, listener, counters);
        if (mdnsEnabled) {
            mdns = MdnsPresence.start(config.bindAddress(), hostName, executor);
            mdns.browse(peers);
            MdnsPresence responder = mdns;
            peers.resolver(name -> responder.resolve(name, RESOLVE_ON_CONNECT_MILLIS));
            LinkLocalPresence p = presenceTemplate != null ? presenceTemplate.withInstance(requestedInstance)
                    : LinkLocalPresence.available(requestedInstance, server.port());
            p = new LinkLocalPresence(p.instance(), server.port(), p.status(), p.first(), p.last(), p.jid(), p.nick(),
                    p.message(), p.caps());
            advertisement = mdns.advertise(p);
            // the name is ours only once probing is over (RFC 6762 8.1); E2E and the DHT record bind to it
            instance = claimedName(advertisement);
        }
        protector.attach(instance);
        if (!instance.equals(requestedInstance)) {
            LOG.warn("Our instance name {} was taken; we are {} (links opened before this used the old name)",
                    requestedInstance, instance);
        }
        if (protector instanceof E2eStanzaProtector e2e) {
            stopKeyListener = e2e.onKeysRotated(() -> {
                if (!closed) {
                    if (dht != null) {
                        // new keys must be in the DHT at once: peers check synchE2e keys against our record
                        dht.republish();
                    }
                    rekeyOpenLinks();
                }
            });
        }
        if (dht != null) {
            E2eStanzaProtector keys = secured;
            dht.start(instance, List.of(new InetSocketAddress(config.bindAddress(), server.port())), initialExternal,
                    keys::ourKeys);
            long periodMillis = dht.refreshPeriod().toMillis();
            timers.scheduleWithFixedDelay(dht::refreshAll, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Stage one for inbound streams: an mDNS peer at an address it advertises is link-local;
     * a name a DHT contact owns must come from an address its signed record lists; anything
     * else falls to the mDNS rules, or is refused when mDNS is off.
     */
    private String authenticate(String claimed, InetAddress source) throws StreamFault {
        if (dht != null && claimed != null) {
            Optional<PeerInfo> seen = peers.get(claimed);
            if (seen.isEmpty() || !LinkLocalPeers.advertises(seen.get(), source)) {
                Optional<String> contact = dht.authenticate(claimed, source);
                if (contact.isPresent()) {
                    paths.put(LinkLocalPeers.key(contact.get()), DeliveryPath.DIRECT_LINK);
                    return contact.get();
                }
            }
        }
        if (!mdnsEnabled) {
            throw dht != null ? dht.refuseUnknown(claimed, source)
                    : new StreamFault(StreamErrorCondition.INVALID_FROM, "mDNS is off and there is no DHT: no peer is known");
        }
        String peer = peers.authenticate(claimed, source);
        paths.put(LinkLocalPeers.key(peer), DeliveryPath.LINK_LOCAL);
        return peer;
    }

    private static String claimedName(Advertisement ad) throws IOException {
        try {
            return ad.awaitClaimed(CLAIM_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while jmDNS probed for " + ad.instance());
        } catch (TimeoutException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Our instance name as announced (after any conflict renaming, even a late one). */
    public String instance() {
        Advertisement ad = advertisement;
        return ad != null ? ad.instance() : instance;
    }

    /** The port our link server listens on. */
    public int port() {
        return server.port();
    }

    public InetAddress address() {
        return config.bindAddress();
    }

    /** The peers seen on the LAN right now. */
    public List<PeerInfo> peers() {
        return peers.all();
    }

    public Optional<PeerInfo> peer(String peerInstance) {
        return peers.get(peerInstance);
    }

    /** Open links (inbound or outbound), by peer instance. */
    public Map<String, Link> links() {
        return Map.copyOf(links);
    }

    /** Called (on the closing thread) with each link that closes and why. */
    public void addLinkClosedListener(BiConsumer<Link, String> listener) {
        linkClosedListeners.add(listener);
    }

    /** The device's DHT side (contacts, records, publish outcome), when built with {@link Builder#dht}. */
    public Optional<DhtPeers> dht() {
        return Optional.ofNullable(dht);
    }

    /**
     * Our external endpoint changed (a port mapping was made, renewed elsewhere or lost):
     * the DHT record is published again with it. Empty when we have none.
     */
    public void externalEndpoint(Optional<InetSocketAddress> external) {
        if (dht == null) {
            throw new IllegalStateException("no DHT: the external endpoint is only published in the DHT record");
        }
        dht.externalEndpoint(external);
    }

    /** Announces a new status and message. */
    public void updateStatus(PresenceStatus status, String message) {
        if (advertisement == null) {
            throw new IllegalStateException("mDNS is off: there is no TXT record to carry a status");
        }
        advertisement.update(advertisement.presence().withStatus(status, message));
    }

    /** Stanza counts over all links. */
    public Stats stats() {
        return new Stats(counters.stanzasIn.get(), counters.stanzasOut.get(),
                counters.stanzasDropped.get() + dropped.get(), counters.streamErrorsSent.get());
    }

    /** Counters since start. */
    public record Stats(long stanzasIn, long stanzasOut, long stanzasDropped, long streamErrorsSent) {
    }

    /**
     * Sends a message to the instance named by its {@code to}, opening a link if needed.
     * Completes when written to the link; fails with the reason otherwise.
     */
    public CompletableFuture<Void> send(Message message) {
        return sendStanza(message);
    }

    /** Sends an iq get/set and completes with the peer's result or error iq. */
    public CompletableFuture<IQ> sendIq(IQ request) {
        if (request.getType() != IQ.Type.get && request.getType() != IQ.Type.set) {
            throw new IllegalArgumentException("sendIq sends requests (get or set), not " + request.getType());
        }
        if (request.getStanzaId() == null) {
            request.setStanzaId(java.util.UUID.randomUUID().toString());
        }
        String peer = target(request);
        CompletableFuture<IQ> answer = new CompletableFuture<>();
        String key = iqKey(peer, request.getStanzaId());
        pendingIqs.put(key, answer);
        timers.schedule(() -> answer.completeExceptionally(new TimeoutException("no answer from " + peer + " to iq "
                + request.getStanzaId() + " within " + IQ_TIMEOUT_SECONDS + " s")), IQ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        answer.whenComplete((r, e) -> pendingIqs.remove(key));
        sendStanza(request).whenComplete((v, e) -> {
            if (e != null) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    private CompletableFuture<Void> sendStanza(Stanza stanza) {
        String peer = target(stanza);
        CompletableFuture<Void> written = new CompletableFuture<>();
        // Stanzas to one peer are queued on its link in the order send() was called, even
        // while the link is still opening (dependents of one future would run in any order).
        synchronized (sendTails) {
            CompletableFuture<Void> previous = sendTails.getOrDefault(LinkLocalPeers.key(peer),
                    CompletableFuture.completedFuture(null));
            CompletableFuture<Void> queued = previous.handle((v, e) -> null)
                    .thenCompose(v -> linkTo(peer))
                    // sealing waits for a key re-synchronisation if our keys rotated: the stanzas
                    // after this one wait in turn, so the order holds
                    .thenCompose(link -> sealed(link, peer, stanza, 0).thenAccept(wire ->
                            link.send(wire).whenComplete((v, e) -> {
                                if (e != null) {
                                    written.completeExceptionally(e);
                                } else {
                                    written.complete(null);
                                }
                            })));
            queued.whenComplete((v, e) -> {
                if (e != null) {
                    written.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e);
                }
            });
            sendTails.put(LinkLocalPeers.key(peer), queued);
        }
        return written;
    }

    private static String target(Stanza stanza) {
        Jid to = stanza.getTo();
        if (to == null) {
            throw new IllegalArgumentException("set the stanza's 'to' to the peer's instance name (user@machine)");
        }
        return to.toString();
    }

    /** The open link to {@code peer}, or a new one through its advertised endpoints. */
    public CompletableFuture<Link> linkTo(String peer) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("device is closed"));
        }
        CompletableFuture<Link> inProgress = connecting.get(LinkLocalPeers.key(peer));
        if (inProgress != null) {
            return inProgress;
        }
        Link existing = links.get(LinkLocalPeers.key(peer));
        if (existing != null && existing.isOpen()) {
            return CompletableFuture.completedFuture(existing);
        }
        return connecting.computeIfAbsent(LinkLocalPeers.key(peer), k -> {
            CompletableFuture<Link> f = CompletableFuture.supplyAsync(() -> connect(peer), executor)
                    .thenCompose(Link::opened)
                    .thenCompose(link -> protector.linkOpened(link.peer(), iq -> exchangeInClear(link, iq))
                            .handle((v, e) -> {
                                if (e != null) {
                                    String why = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                            ? e.getCause().getMessage() : e.getMessage();
                                    link.close("security handshake failed: " + why);
                                    throw new java.util.concurrent.CompletionException(new IOException(
                                            "cannot secure the link to " + peer + ": " + why, e));
                                }
                                // in the table before this future completes: a send racing with its
                                // completion finds either this future or the link, never neither
                                securedLinks.add(link);
                                links.merge(k, link, (old, nu) -> old.isOpen() ? old : nu);
                                return link;
                            }));
            f.whenComplete((l, e) -> connecting.remove(k));
            return f;
        });
    }

    /**
     * {@code stanza} protected for {@code peer}; in secured mode sealed only with keys the
     * peer holds, re-synchronising on {@code link} first when our keys rotated.
     */
    private CompletableFuture<Stanza> sealed(Link link, String peer, Stanza stanza, int rekeysSoFar) {
        try {
            if (!(protector instanceof E2eStanzaProtector e2e)) {
                return CompletableFuture.completedFuture(protector.protect(stanza, peer));
            }
            Optional<Stanza> wire = e2e.protectInSync(stanza, peer);
            if (wire.isPresent()) {
                return CompletableFuture.completedFuture(wire.get());
            }
        } catch (StanzaRejectedException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (rekeysSoFar >= MAX_REKEYS_PER_STANZA) {
            return CompletableFuture.failedFuture(new StanzaRejectedException(StanzaError.Condition.not_acceptable,
                    "our E2E keys rotated " + rekeysSoFar + " times while re-synchronising them with " + peer));
        }
        return rekey(link).thenCompose(v -> sealed(link, peer, stanza, rekeysSoFar + 1));
    }

    /** Runs on the rotating thread: every open secured link learns our new keys, without waiting for a send. */
    private void rekeyOpenLinks() {
        for (Link link : links.values()) {
            if (link.isOpen() && securedLinks.contains(link)) {
                rekey(link);
            }
        }
    }

    /**
     * Sends our current keys (and the identity proof over them) again on an open secured
     * link; one at a time per link, callers join the running one. A peer that refuses them
     * could no longer read us: the link is closed, and the next send opens a new one.
     */
    private CompletableFuture<Void> rekey(Link link) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = rekeys.putIfAbsent(link, mine);
        if (running != null) {
            return running;
        }
        E2eStanzaProtector e2e = (E2eStanzaProtector) protector;
        String peer = link.peer();
        // a DHT contact checks our new keys against our signed record: let it be stored first
        CompletableFuture<Void> published = dht == null ? CompletableFuture.completedFuture(null)
                : dht.published().handle((r, e) -> (Void) null)
                        .completeOnTimeout(null, REPUBLISH_WAIT_SECONDS, TimeUnit.SECONDS);
        published.thenCompose(v -> e2e.resync(peer, iq -> exchangeInClear(link, iq))).whenComplete((v, e) -> {
            rekeys.remove(link, mine);
            if (e == null) {
                mine.complete(null);
                return;
            }
            String why = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause().getMessage() : e.getMessage();
            link.close("key re-synchronisation failed: " + why);
            mine.completeExceptionally(new IOException("cannot re-synchronise keys with " + peer + ": " + why, e));
        });
        return mine;
    }

    private CompletableFuture<IQ> exchangeInClear(Link link, IQ request) {
        if (request.getStanzaId() == null) {
            request.setStanzaId(java.util.UUID.randomUUID().toString());
        }
        CompletableFuture<IQ> answer = new CompletableFuture<>();
        String key = iqKey(link.peer(), request.getStanzaId());
        pendingClear.put(key, answer);
        answer.whenComplete((r, e) -> pendingClear.remove(key));
        link.send(request).whenComplete((v, e) -> {
            if (e != null) {
                answer.completeExceptionally(e);
            }
        });
        return answer.orTimeout(IQ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private Link connect(String peer) {
        Optional<PeerInfo> seen = peers.get(peer);
        if (seen.isEmpty() && dht != null) {
            Optional<PeerInfo> record = dht.resolve(peer);
            if (record.isPresent()) {
                return connectDirect(peer, record.get());
            }
        }
        PeerInfo info = seen.orElseThrow(() -> new IllegalArgumentException(
                "no instance " + peer + " is advertised on this network" + (dht != null ? " nor owned by a DHT contact" : "")
                        + "; known: " + peers.all().stream().map(PeerInfo::jid).toList()));
        paths.put(LinkLocalPeers.key(peer), DeliveryPath.LINK_LOCAL);
        List<InetSocketAddress> candidates = new ArrayList<>();
        for (InetSocketAddress e : info.localEndpoints()) {
            if ((e.getAddress() instanceof Inet6Address) == (config.bindAddress() instanceof Inet6Address)) {
                candidates.add(e);
            }
        }
        IOException last = null;
        for (InetSocketAddress target : candidates) {
            try {
                return connector.open(target, info.jid());
            } catch (IOException e) {
                last = e;
                LOG.debug("Cannot connect to {} at {}: {}", peer, target, e.toString());
            }
        }
        throw new IllegalStateException("cannot reach " + peer + " at " + info.localEndpoints()
                + (last != null ? ": " + last.getMessage() : " (no address of our family)"), last);
    }

    /**
     * Dials a DHT contact at the endpoint {@link AddressChoice} picks from its signed record
     * (its local one when we share its external address, else its external one); when that
     * fails, looks the record up again and, if it changed, dials the new choice.
     */
    private Link connectDirect(String peer, PeerInfo record) {
        Optional<InetSocketAddress> ourExternal = dht.externalEndpoint();
        P2pElement ours = ourExternal.map(e -> P2pElement.of(e, new InetSocketAddress(config.bindAddress(), server.port())))
                .orElse(null);
        paths.put(LinkLocalPeers.key(peer), DeliveryPath.DIRECT_LINK);
        PeerInfo tried = record;
        IOException last = null;
        for (int attempt = 0; attempt < 2 && tried != null; attempt++) {
            InetSocketAddress target = AddressChoice.of(ours, tried).map(AddressChoice::target).orElse(null);
            if (target != null) {
                try {
                    return connector.open(target, peer);
                } catch (IOException e) {
                    last = e;
                    LOG.info("Cannot reach DHT contact {} at {}: {}", peer, target, e.toString());
                }
            }
            tried = dht.refetchAfterFailure(peer, tried).orElse(null);
        }
        throw new IllegalStateException("cannot reach " + peer + " at the endpoints of its signed DHT record "
                + record.localEndpoints() + record.externalEndpoint().map(e -> " / " + e).orElse("")
                + (last != null ? ": " + last.getMessage() : " (it publishes none)"), last);
    }

    private void closeLinksTo(String peer, String reason) {
        Link link = links.remove(LinkLocalPeers.key(peer));
        if (link != null) {
            LOG.info("Closing link to {}: {}", peer, reason);
            link.close(reason);
        }
    }

    private static String iqKey(String peer, String id) {
        return LinkLocalPeers.key(peer) + "\u0000" + id;
    }

    /** One link's received stanzas not yet handled, and the serial queue that handles them in order. */
    private static final class Inbox {
        final SerialExecutor order;
        private final ArrayDeque<Stanza> arrived = new ArrayDeque<>();

        Inbox(SerialExecutor order) {
            this.order = order;
        }

        synchronized void add(Stanza stanza) {
            arrived.add(stanza);
        }

        synchronized List<Stanza> take(int max) {
            List<Stanza> run = new ArrayList<>(Math.min(max, arrived.size()));
            while (run.size() < max && !arrived.isEmpty()) {
                run.add(arrived.poll());
            }
            return run;
        }
    }

    /** Runs on link reader threads: records links and hands stanzas to the executor. */
    private final class DeviceLinkListener implements Link.Listener {
        @Override
        public void opened(Link link) {
            // one link per peer: a second one (both sides connecting at once) stays usable
            // until it closes, but the first open one is what we send on
            links.merge(LinkLocalPeers.key(link.peer()), link, (old, nu) -> old.isOpen() ? old : nu);
            LOG.info("Link {} {} open ({} -> {})", link.direction(), link.peer(), link.localAddress(),
                    link.remoteAddress());
        }

        @Override
        public void stanza(Link link, Stanza stanza) {
            Inbox inbox = inboxes.computeIfAbsent(link, l -> new Inbox(new SerialExecutor(executor, MAX_QUEUED_PER_LINK)));
            inbox.add(stanza);
            try {
                // one task per stanza keeps the queue's bound (back-pressure on the reader); a
                // task takes every stanza waiting by then, and the later ones find theirs taken
                inbox.order.execute(() -> handleRun(link, inbox.take(STANZAS_PER_RUN)));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                dropped.incrementAndGet();
            }
        }

        @Override
        public void closed(Link link, String reason) {
            inboxes.remove(link);
            securedLinks.remove(link);
            if (link.peer() != null) {
                links.remove(LinkLocalPeers.key(link.peer()), link);
                failPendingIqs(link.peer(), reason);
            }
            for (BiConsumer<Link, String> l : linkClosedListeners) {
                l.accept(link, reason);
            }
        }
    }

    private void failPendingIqs(String peer, String reason) {
        String prefix = LinkLocalPeers.key(peer) + "\u0000";
        for (Map<String, CompletableFuture<IQ>> pending : List.of(pendingIqs, pendingClear)) {
            pending.forEach((k, f) -> {
                if (k.startsWith(prefix)) {
                    f.completeExceptionally(new LinkClosedException("link to " + peer + " closed: " + reason));
                }
            });
        }
    }

    /**
     * Runs on the link's serial queue: stanzas that arrived one after another on it, in that
     * order. Messages between two iqs are unprotected together (their signatures checked in
     * one batch); an iq ends the run, as it may be the protector's own (a key
     * re-synchronisation) that the stanzas after it depend on.
     */
    private void handleRun(Link link, List<Stanza> run) {
        String peer = link.peer();
        List<Stanza> together = new ArrayList<>(run.size());
        for (Stanza received : run) {
            if (received instanceof IQ iq) {
                unprotectAndHandle(link, peer, together);
                together.clear();
                if (answeredHere(link, peer, iq)) {
                    continue;
                }
            }
            together.add(received);
        }
        unprotectAndHandle(link, peer, together);
    }

    /** Answers the protector's own requests and completes our clear-text exchanges; false for anything else. */
    private boolean answeredHere(Link link, String peer, IQ iq) {
        if (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set) {
            IQ own = protector instanceof E2eStanzaProtector e2e && securedLinks.contains(link)
                    ? e2e.answerOnSecuredLink(iq, peer) : protector.answerOwnIq(iq, peer);
            if (own != null) {
                if (own instanceof org.xp2p.schemas.smack.IdentityProofIq && own.getType() == IQ.Type.result) {
                    securedLinks.add(link);
                }
                link.send(own);
                return true;
            }
            return false;
        }
        CompletableFuture<IQ> waiting = pendingClear.get(iqKey(peer, iq.getStanzaId()));
        if (waiting != null) {
            waiting.complete(iq);
            return true;
        }
        return false;
    }

    private void unprotectAndHandle(Link link, String peer, List<Stanza> received) {
        if (received.isEmpty()) {
            return;
        }
        List<StanzaProtector.Unprotected> results;
        try {
            results = protector.unprotectAll(received, peer);
        } catch (RuntimeException e) {
            dropped.addAndGet(received.size());
            LOG.error("Unprotecting {} stanzas from {} failed; they are dropped", received.size(), peer, e);
            return;
        }
        for (int i = 0; i < received.size(); i++) {
            StanzaProtector.Unprotected r = results.get(i);
            try {
                if (r.refused() != null) {
                    refused(link, peer, received.get(i), r.refused());
                } else {
                    handle(link, peer, r.stanza());
                }
            } catch (RuntimeException e) {
                // one stanza's failure (a throwing handler) must not cost the rest of the run
                LOG.error("Handling a stanza from {} failed", peer, e);
            }
        }
    }

    private void refused(Link link, String peer, Stanza received, StanzaRejectedException e) {
        dropped.incrementAndGet();
        LOG.info("Rejected a stanza from {}: {}", peer, e.getMessage());
        if (received instanceof IQ iq && (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set)) {
            link.send(IQ.createErrorResponse(iq, StanzaError.getBuilder(e.condition()).setDescriptiveEnText(
                    e.getMessage()).build()));
        }
    }

    /** Hands an unprotected stanza to the application, or to the iq waiting for it. */
    private void handle(Link link, String peer, Stanza stanza) {
        Arrival arrival = new Arrival(paths.getOrDefault(LinkLocalPeers.key(peer), DeliveryPath.LINK_LOCAL), peer,
                protector.secured());
        if (stanza instanceof Message m) {
            handler.onMessage(m, arrival);
        } else if (stanza instanceof IQ iq) {
            if (iq.getType() == IQ.Type.result || iq.getType() == IQ.Type.error) {
                CompletableFuture<IQ> waiting = pendingIqs.get(iqKey(peer, iq.getStanzaId()));
                if (waiting != null) {
                    waiting.complete(iq);
                } else {
                    dropped.incrementAndGet();
                    LOG.info("Dropped an unsolicited iq {} from {}", iq.getType(), peer);
                }
                return;
            }
            IQ answer;
            try {
                answer = handler.onIqRequest(iq, arrival);
            } catch (RuntimeException e) {
                LOG.error("The iq handler failed on {}", iq, e);
                answer = errorAnswer(iq, StanzaError.Condition.internal_server_error);
            }
            if (answer == null) {
                answer = errorAnswer(iq, StanzaError.Condition.service_unavailable);
            }
            answer.setTo(iq.getFrom());
            answer.setStanzaId(iq.getStanzaId());
            // never waits here: a re-synchronisation's own answers arrive through this same queue
            sealed(link, peer, answer, 0).whenComplete((wire, e) -> {
                if (e != null) {
                    LOG.warn("Cannot protect our answer to {}: {}", peer, e.getMessage());
                } else {
                    link.send(wire);
                }
            });
        } else {
            dropped.incrementAndGet();
            LOG.debug("Dropped a {} from {}: presence lives in the TXT record on link-local streams",
                    stanza.getClass().getSimpleName(), peer);
        }
    }

    /**
     * An error answer without the request's child. {@code IQ.createErrorResponse} echoes it,
     * and Smack writes the child of a request it had no provider for (an UnparsedIQ) escaped:
     * once encrypted, the peer could not parse the answer and would wait for its timeout.
     */
    private static IQ errorAnswer(IQ request, StanzaError.Condition condition) {
        return org.jivesoftware.smack.packet.ErrorIQ.builder(StanzaError.getBuilder(condition).build(),
                org.jivesoftware.smack.packet.AbstractIqBuilder.createErrorResponse(request)).build();
    }

    /** Received stanzas queued on all links and not yet handled, for tests of the bound. */
    int inboundBacklog() {
        return inboxes.values().stream().mapToInt(inbox -> inbox.order.backlog()).sum();
    }

    /** Says goodbye, stops accepting, closes every link and stops the device's threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inboxes.values().forEach(inbox -> inbox.order.close()); // wakes link readers waiting for room
        stopKeyListener.run();
        if (dht != null) {
            dht.close(); // our republish and retry timers; the node is the caller's
        }
        if (mdns != null) {
            mdns.close(); // goodbye (TTL 0) for our instance
        }
        if (server != null) {
            server.close();
        }
        List<Link> open = new ArrayList<>(links.values());
        links.clear();
        for (Link l : open) {
            l.close("device shutting down");
        }
        for (Link l : open) {
            try {
                l.opened().handle((x, e) -> null).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                // best effort
            }
        }
        long deadline = System.nanoTime() + config.closeTimeout().toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
        for (Link l : open) {
            while (l.closeReason() == null || l.isOpen()) {
                if (System.nanoTime() > deadline) {
                    break;
                }
                sleepQuietly(20);
            }
        }
        timers.shutdownNow();
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
            timers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings of a device; {@link #start()} announces it and starts listening. Not thread-safe. */
    public static final class Builder {
        private final String instance;
        private LinkConfig config;
        private StanzaHandler handler;
        private StanzaProtector protector = StanzaProtector.PLAIN;
        private LinkLocalPresence presence;
        private String hostName;
        private PresenceListener presenceListener;
        private boolean mdns = true;
        private DhtNode dhtNode;
        private Duration dhtRefresh = DhtPeers.DEFAULT_REFRESH;
        private InetSocketAddress externalEndpoint;
        private final List<ContactOffer> offers = new ArrayList<>();
        private final List<byte[]> contactKeys = new ArrayList<>();

        private Builder(String instance, InetAddress bindAddress) {
            this.instance = Objects.requireNonNull(instance, "instance");
            this.config = LinkConfig.defaults(Objects.requireNonNull(bindAddress, "bindAddress"));
            int at = instance.indexOf('@');
            this.hostName = (at >= 0 ? instance.substring(at + 1) : instance).replaceAll("[^A-Za-z0-9-]", "-");
        }

        /** Link settings; its bind address replaces the one given to {@link LinkLocalDevice#builder}. */
        public Builder linkConfig(LinkConfig linkConfig) {
            this.config = Objects.requireNonNull(linkConfig, "linkConfig");
            return this;
        }

        public Builder handler(StanzaHandler stanzaHandler) {
            this.handler = stanzaHandler;
            return this;
        }

        /** Plain by default; a secured protector for E2E between xp2p devices. */
        public Builder protector(StanzaProtector stanzaProtector) {
            this.protector = Objects.requireNonNull(stanzaProtector, "protector");
            return this;
        }

        /** TXT facts (names, jid, caps, status); instance and port are set by the device. */
        public Builder presence(LinkLocalPresence template) {
            this.presence = template;
            return this;
        }

        /** Our mDNS host name (default: the machine part of the instance). */
        public Builder hostName(String name) {
            this.hostName = Objects.requireNonNull(name, "hostName");
            return this;
        }

        /** Observes peers arriving, changing and leaving (on the device's executor). */
        public Builder presenceListener(PresenceListener listener) {
            this.presenceListener = listener;
            return this;
        }

        /**
         * Whether to announce and browse with mDNS (default on). Off: a DHT-only device, for
         * networks without multicast; it then needs {@link #dht}, or nobody can reach it.
         */
        public Builder mdns(boolean enabled) {
            this.mdns = enabled;
            return this;
        }

        /**
         * Mirrors our presence (instance, link endpoint, current E2E keys) into the DHT
         * through {@code node}, and reaches the {@link #contact contacts} through their
         * signed records. Requires an {@link E2eStanzaProtector} built on the same identity
         * key as the node. The node stays the caller's: the device does not close it.
         */
        public Builder dht(DhtNode node) {
            this.dhtNode = Objects.requireNonNull(node, "node");
            return this;
        }

        /** How often every contact's record is looked up again (default {@link DhtPeers#DEFAULT_REFRESH}). */
        public Builder dhtRefresh(Duration period) {
            this.dhtRefresh = PresenceMirror.requireRefreshPeriod(period);
            return this;
        }

        /** A contact from its offer (see {@link DhtPeers#addContact(ContactOffer)}); needs {@link #dht}. */
        public Builder contact(ContactOffer offer) {
            offers.add(Objects.requireNonNull(offer, "offer"));
            return this;
        }

        /** A contact known by its identity key only (32 octets); needs {@link #dht}. */
        public Builder contact(byte[] identityKey) {
            contactKeys.add(Objects.requireNonNull(identityKey, "identityKey").clone());
            return this;
        }

        /** Our external endpoint (a gateway port mapping) to publish in the DHT record, if any. */
        public Builder externalEndpoint(InetSocketAddress endpoint) {
            this.externalEndpoint = endpoint;
            return this;
        }

        public LinkLocalDevice start() throws IOException {
            if ((!offers.isEmpty() || !contactKeys.isEmpty() || externalEndpoint != null) && dhtNode == null) {
                throw new IllegalStateException("contacts and an external endpoint are found through the DHT: set dht(node)");
            }
            if (!mdns && dhtNode == null) {
                throw new IllegalStateException("with mDNS off the device needs dht(node): nobody could find it otherwise");
            }
            if (handler == null) {
                throw new IllegalStateException("set a StanzaHandler before start(): inbound stanzas need a receiver");
            }
            LinkLocalDevice device = new LinkLocalDevice(this);
            try {
                device.start();
            } catch (IOException | RuntimeException e) {
                device.close();
                throw e;
            }
            return device;
        }
    }
}
