package org.xp2p.xmpp.broker;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackConfiguration;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.SubscribeListener.SubscribeAnswer;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.schemas.smack.Xp2pProviders;
import org.xp2p.xmpp.peers.PeerDirectory;

/**
 * One device's session with its XMPP broker (Smack's XMPPTCPConnection): logs in with SCRAM,
 * over TLS with verified certificates unless a test asks for plaintext; reconnects with
 * exponential backoff and jitter after any loss; publishes our presence with {@code <e2e/>}
 * and {@code <p2p/>} whenever either changes and again after each reconnection; answers
 * subscription requests by the {@link SubscriptionPolicy}; turns contacts' presence into
 * {@link PeerInfo} for the {@link PeerDirectory}; hands messages and iqs to the owner.
 *
 * <p>Threads: Smack owns its reader and writer threads; our stanza listener there only
 * hands stanzas to the {@code inbound} executor given by the owner (in arrival order,
 * when that executor is serial). When that executor makes us wait, Smack's reader waits
 * too, once {@link #MAX_STANZAS_QUEUED_IN_SMACK} stanzas queue in Smack behind us (see
 * {@link BackPressuredConnection}), so the broker's TCP stream slows down rather than our
 * heap filling up. (Re)connection attempts run on the owner's timer executor.
 * {@link #close()} cancels reconnection, releases a waiting reader and disconnects.
 *
 * <p>Sessions: each login starts a new session, numbered from 1, unless it resumed the
 * stream with XEP-0198 stream management, which goes on with the session. The session counts as
 * online only once the owner has been told of it ({@link Events#online}), and
 * {@link #send(Stanza, long)} writes a stanza only into the session it names, so an owner
 * can tell which stanzas a lost connection may have taken with it and send them again,
 * before anything newer, when the next session starts.
 */
public final class BrokerSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerSession.class);

    /**
     * Received stanzas Smack may hold for us on its ordered listener thread (while our
     * owner's executor makes that thread wait) before its reader waits too: enough that the
     * reader does not wait on the listener thread's scheduling in the common case, small
     * beside what the owner bounds itself.
     */
    public static final int MAX_STANZAS_QUEUED_IN_SMACK = 64;

    /** What the session tells its owner. */
    public interface Events {
        /**
         * Logged in (again); called on the timer thread before our presence is re-sent and
         * before {@link #session()} reports the new session: no stanza can be sent in it yet.
         */
        void online(boolean reconnected);

        /** The session {@code session} accepts stanzas now; on the timer thread, after {@link #online}. */
        default void ready(long session) {
        }

        /** The connection is gone; reconnection is scheduled unless we are closing. */
        void offline(String reason);

        /** A message or iq, on the inbound executor. */
        void stanza(Stanza stanza);

        /**
         * A message or iq as read, on Smack's listener thread, in arrival order. The default
         * hands it to {@link #stanza} through the inbound executor. An owner that works on
         * stanzas in parallel before handling them (the device decrypts them) takes them here
         * and keeps their order, also against what goes through the inbound executor.
         */
        default void received(Stanza stanza, Executor inbound) {
            inbound.execute(() -> stanza(stanza));
        }

        /** A subscription request the policy leaves to the application; on the inbound executor. */
        default void subscriptionRequested(BareJid from) {
        }

        /**
         * {@code peer} (a full JID) is available in the current session, after being
         * unavailable or unknown in it; on the inbound executor, after its presence reached
         * the directory.
         */
        default void peerAvailable(Jid peer) {
        }
    }

    private final BrokerConfig config;
    private final SubscriptionPolicy policy;
    private final PeerDirectory directory;
    private final ScheduledExecutorService timers;
    private final Executor inbound;
    private final Events events;
    private final BackPressuredConnection connection;
    private final Roster roster;
    private final Set<BareJid> pendingRequests = ConcurrentHashMap.newKeySet();
    /**
     * Full JIDs whose available presence came in, each with the number of the session that
     * brought it; an unavailable presence removes the entry.
     */
    private final java.util.Map<Jid, Long> availableIn = new ConcurrentHashMap<>();

    private volatile E2eElement e2e;
    private volatile P2pElement p2p;
    private volatile boolean closed;
    private volatile boolean everOnline;
    private volatile long reconnectDelayMillis;
    private volatile ScheduledFuture<?> reconnect;
    private volatile String lastOfflineReason;
    /** Guards the switch to a new session against sends in progress (they hold the read lock). */
    private final ReadWriteLock sessionLock = new ReentrantReadWriteLock();
    private volatile long session;
    private volatile boolean sessionReady;

    public BrokerSession(BrokerConfig config, SubscriptionPolicy policy, PeerDirectory directory,
            ScheduledExecutorService timers, Executor inbound, Events events) {
        this.config = Objects.requireNonNull(config, "config");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        this.events = Objects.requireNonNull(events, "events");
        this.reconnectDelayMillis = config.reconnectMin().toMillis();
        SmackConfiguration.getVersion(); // loads Smack's own providers
        Xp2pProviders.register();
        this.connection = new BackPressuredConnection(smackConfig(config), MAX_STANZAS_QUEUED_IN_SMACK);
        registerIqRequests();
        this.roster = Roster.getInstanceFor(connection);
        roster.setRosterLoadedAtLogin(true);
        roster.addSubscribeListener(this::onSubscribe);
        connection.addSyncStanzaListener(this::onStanza, s -> s instanceof Message || s instanceof Presence
                || (s instanceof IQ iq && !iq.isRequestIQ())); // requests come through the handlers
        connection.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                lost("connection lost: " + e);
            }

            @Override
            public void connectionClosed() {
                if (!closed) {
                    lost("connection closed by the broker");
                }
            }
        });
    }

    /**
     * Smack hands iq requests only to registered handlers (stanza listeners never see
     * them), so the xp2p requests (synchE2e and encrypted iqs, in every accepted E2E
     * namespace) get a handler that passes them to the owner, which answers on its own.
     * Other plaintext requests are answered by Smack (feature-not-implemented).
     */
    private void registerIqRequests() {
        List<String> elements = new java.util.ArrayList<>(List.of(org.xp2p.schemas.smack.SynchE2eIq.ELEMENT));
        for (org.xp2p.schemas.SymmetricCipher c : org.xp2p.schemas.SymmetricCipher.values()) {
            elements.add(c.elementName());
        }
        for (String ns : org.xp2p.schemas.Xp2pNamespace.E2E.accepted()) {
            for (String element : elements) {
                for (IQ.Type type : List.of(IQ.Type.get, IQ.Type.set)) {
                    connection.registerIQRequestHandler(new AbstractIqRequestHandler(element, ns, type,
                            IQRequestHandler.Mode.sync) {
                        @Override
                        public IQ handleIQRequest(IQ request) {
                            onStanza(request);
                            return null; // the owner answers, on its own thread
                        }
                    });
                }
            }
        }
    }

    private static XMPPTCPConnectionConfiguration smackConfig(BrokerConfig config) {
        try {
            XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(config.domain())
                    .setHost(config.host())
                    .setPort(config.port())
                    .setUsernameAndPassword(config.username(), config.password())
                    .setResource(config.resource())
                    .setSendPresence(false) // we send our own, with <e2e/> and <p2p/>
                    .setConnectTimeout(10_000);
            if (config.transport() == BrokerConfig.Transport.PLAINTEXT_FOR_TESTS) {
                b.setSecurityMode(SecurityMode.disabled);
            } else {
                b.setSecurityMode(SecurityMode.required);
                config.pinnedCa().ifPresent(ca -> b.setCustomX509TrustManager(PinnedCaTrust.trusting(ca)));
            }
            return b.build();
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException("invalid JID part in " + config + ": " + e.getMessage(), e);
        }
    }

    /**
     * Connects and logs in once, on the calling thread, so that a wrong password or an
     * untrusted certificate fails here; later losses reconnect by themselves.
     */
    public void start() throws IOException, InterruptedException, SmackException, XMPPException {
        connection.connect();
        try {
            connection.login();
        } catch (IOException | SmackException | XMPPException | InterruptedException e) {
            connection.disconnect();
            throw e;
        }
        loggedIn();
    }

    /**
     * As {@link #start()}, except that a broker we cannot reach (no TCP connection to it, or
     * one that never answers) is no error: we stay offline and keep trying with backoff, as
     * after a lost connection. For devices that can meet their contacts another way
     * meanwhile. A wrong password or certificate still fails here.
     *
     * @return whether we are online now
     */
    public boolean startOrKeepTrying() throws IOException, InterruptedException, SmackException, XMPPException {
        try {
            start();
            return true;
        } catch (SmackException.ConnectionException | SmackException.NoResponseException e) {
            connection.instantShutdown(); // a silent broker may have left the socket open
            lost("broker unreachable at start: " + e.getMessage());
            return false;
        }
    }

    private void loggedIn() {
        boolean again = everOnline;
        // A resumed stream (XEP-0198) goes on: the broker keeps our contacts' presence, and
        // Smack sends again what the broker had not acknowledged. Only a new stream is a new session.
        boolean resumed = connection.streamWasResumed();
        everOnline = true;
        reconnectDelayMillis = config.reconnectMin().toMillis();
        LOG.info("{} {} to {}:{}", connection.getUser(), resumed ? "resumed its stream" : again ? "reconnected"
                : "logged in", config.host(), config.port());
        sessionLock.writeLock().lock();
        try {
            if (!resumed) {
                session++;
            }
            events.online(again); // before anyone can send in the new session
            sessionReady = true;
        } finally {
            sessionLock.writeLock().unlock();
        }
        sendPresence();
        events.ready(session);
    }

    private void lost(String reason) {
        sessionReady = false;
        lastOfflineReason = reason;
        LOG.info("{}: {}", config.fullJid(), reason);
        events.offline(reason);
        scheduleReconnect();
    }

    private synchronized void scheduleReconnect() {
        if (closed || (reconnect != null && !reconnect.isDone())) {
            return;
        }
        long delay = reconnectDelayMillis;
        long jitter = ThreadLocalRandom.current().nextLong(delay / 4 + 1);
        reconnectDelayMillis = Math.min(delay * 2, config.reconnectMax().toMillis());
        reconnect = timers.schedule(this::reconnectOnce, delay + jitter, TimeUnit.MILLISECONDS);
    }

    private void reconnectOnce() {
        if (closed) {
            return;
        }
        try {
            if (!connection.isConnected()) {
                connection.connect();
            }
            if (!connection.isAuthenticated()) {
                connection.login();
            }
            loggedIn();
        } catch (IOException | SmackException | XMPPException e) {
            LOG.info("{}: reconnection failed ({}); next attempt in about {} ms", config.fullJid(), e.toString(),
                    reconnectDelayMillis);
            connection.instantShutdown();
            synchronized (this) {
                reconnect = null;
            }
            scheduleReconnect();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Our full JID. */
    public EntityFullJid jid() {
        EntityFullJid user = connection.getUser();
        if (user != null) {
            return user;
        }
        try {
            return org.jxmpp.jid.impl.JidCreate.entityFullFrom(config.fullJid());
        } catch (XmppStringprepException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean online() {
        return sessionReady && connection.isAuthenticated();
    }

    /**
     * The number of the current session (1 for the first login, then one more per
     * reconnection), or -1 while offline or while a new session is being announced.
     */
    public long session() {
        return online() ? session : -1;
    }

    /** Why we were last offline, or null. */
    public String lastOfflineReason() {
        return lastOfflineReason;
    }

    /**
     * Whether a stanza sent now to {@code peer} (a full JID) should reach it: we are online,
     * and the peer has said it is available in this session, or we do not follow its
     * presence (then we cannot know, and try). A broker bounces a message to a resource that
     * is offline, or holds it for the account, while a later one may reach the resource
     * once it is back: the earlier would come in after the later.
     */
    public boolean reaches(Jid peer) {
        long now = session();
        if (now < 0) {
            return false;
        }
        return !followsPresenceOf(peer) || Long.valueOf(now).equals(availableIn.get(peer));
    }

    /** Whether the broker tells us when {@code peer} comes and goes: our own account, or a subscription. */
    public boolean followsPresenceOf(Jid peer) {
        BareJid bare = peer.asBareJid();
        return bare.equals(jid().asBareJid()) || roster.iAmSubscribedTo(bare);
    }

    /** Sends a stanza through the broker, in whatever session is current. */
    public void send(Stanza stanza) throws SmackException.NotConnectedException, InterruptedException {
        connection.sendStanza(stanza);
    }

    /**
     * Sends a stanza through the broker only in session {@code expected} (from
     * {@link #session()}): never into a later session.
     *
     * @throws SmackException.NotConnectedException when that session is over
     */
    public void send(Stanza stanza, long expected) throws SmackException.NotConnectedException, InterruptedException {
        sessionLock.readLock().lock();
        try {
            if (expected < 0 || expected != session || !online()) {
                throw new SmackException.NotConnectedException("broker session " + expected + " is over (now "
                        + session() + ")");
            }
            connection.sendStanza(stanza);
        } finally {
            sessionLock.readLock().unlock();
        }
    }

    /** Sets what our presence carries and sends it at once when online. Either may be null. */
    public void publish(E2eElement keys, P2pElement endpoints) {
        this.e2e = keys;
        this.p2p = endpoints;
        if (online()) {
            sendPresence();
        }
    }

    public P2pElement publishedEndpoints() {
        return p2p;
    }

    private void sendPresence() {
        PresenceBuilder b = connection.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available);
        E2eElement keys = e2e;
        P2pElement endpoints = p2p;
        if (keys != null) {
            b.addExtension(keys);
        }
        if (endpoints != null) {
            b.addExtension(endpoints);
        }
        try {
            connection.sendStanza(b.build());
        } catch (SmackException.NotConnectedException e) {
            LOG.debug("presence not sent, offline: {}", e.getMessage()); // re-sent after reconnection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks {@code contact} for a presence subscription (and adds it to the roster). */
    public void subscribe(BareJid contact) throws SmackException, XMPPException, InterruptedException {
        roster.createItemAndRequestSubscription(contact, contact.toString(), null);
    }

    /** Approves a pending request and asks for the contact's presence in return. */
    public void approve(BareJid contact) throws SmackException, XMPPException, InterruptedException {
        pendingRequests.remove(contact);
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza()
                .ofType(Presence.Type.subscribed).to(contact).build());
        if (!roster.iAmSubscribedTo(contact)) {
            subscribe(contact);
        }
    }

    /** Denies a pending request. */
    public void deny(BareJid contact) throws SmackException.NotConnectedException, InterruptedException {
        pendingRequests.remove(contact);
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza()
                .ofType(Presence.Type.unsubscribed).to(contact).build());
    }

    public List<BareJid> pendingRequests() {
        return List.copyOf(pendingRequests);
    }

    /**
     * Whether {@code jid} may learn our keys and endpoints: our own account (another
     * resource), or a contact whose subscription to our presence we approved.
     */
    public boolean approved(Jid jid) {
        BareJid bare = jid.asBareJid();
        return bare.equals(jid().asBareJid()) || roster.isSubscribedToMyPresence(bare);
    }

    /** Whether we receive {@code jid}'s presence (our subscription to it was approved). */
    public boolean subscribedTo(Jid jid) {
        return roster.iAmSubscribedTo(jid.asBareJid());
    }

    private SubscribeAnswer onSubscribe(Jid from, Presence request) {
        BareJid bare = from.asBareJid();
        switch (policy.answer(bare)) {
            case ACCEPT:
                LOG.info("{} accepts the subscription of {} (policy {})", config.fullJid(), bare, policy.mode());
                return SubscribeAnswer.ApproveAndAlsoRequestIfRequired;
            case DENY:
                LOG.info("{} denies the subscription of {} (not on the allow-list)", config.fullJid(), bare);
                return SubscribeAnswer.Deny;
            default:
                pendingRequests.add(bare);
                inbound.execute(() -> events.subscriptionRequested(bare));
                return null; // the application answers with approve() or deny()
        }
    }

    /** On Smack's reader thread: hand off at once, in order. */
    private void onStanza(Stanza stanza) {
        if (closed) {
            return;
        }
        if (stanza instanceof Presence presence) {
            Instant at = Instant.now();
            // read here, on the reader: a peer's presence that arrives on a new connection
            // answers our initial presence there, which is only sent once the session counts
            long in = session;
            inbound.execute(() -> onPresence(presence, at, in));
        } else {
            events.received(stanza, inbound);
        }
    }

    private void onPresence(Presence presence, Instant at, long in) {
        Jid from = presence.getFrom();
        if (from == null || from.equals(connection.getUser()) || from.getResourceOrNull() == null) {
            return;
        }
        switch (presence.getType()) {
            case available -> {
                PeerInfo.Builder b = PeerInfo.builder(from.toString(), PeerInfo.Source.BROKER_PRESENCE, at);
                P2pElement.in(presence).ifPresent(p -> b.localEndpoints(List.of(p.local())).externalEndpoint(p.external()));
                E2eElement.in(presence).ifPresent(b::e2eKeys);
                directory.put(b.build());
                Long before = availableIn.put(from, in);
                if (before == null || before != in) {
                    events.peerAvailable(from);
                }
            }
            case unavailable -> {
                availableIn.remove(from);
                directory.remove(from.toString(), PeerInfo.Source.BROKER_PRESENCE);
            }
            default -> {
                // subscription handshakes are the roster's; errors carry nothing for us
            }
        }
    }

    /** For tests: drops the TCP connection without a goodbye, as a network failure would. */
    public void dropConnectionForTest() {
        connection.instantShutdown();
        lost("connection dropped by a test");
    }

    XMPPConnection connection() {
        return connection;
    }

    /**
     * Received stanzas that Smack holds for us, read but not yet through its ordered listener
     * thread (at most {@link #MAX_STANZAS_QUEUED_IN_SMACK} while the connection is up).
     */
    public int stanzasQueuedInSmack() {
        return connection.queued();
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> r = reconnect;
        if (r != null) {
            r.cancel(false);
        }
        connection.stopHolding(); // a reader waiting for our owner must not hold up the disconnection
        if (connection.isConnected()) {
            connection.disconnect(); // sends unavailable presence
        }
    }
}
