package org.xp2p.xmpp.routing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.util.StringUtils;
import org.jivesoftware.smackx.receipts.DeliveryReceiptRequest;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.xmpp.SerialExecutor;
import org.xp2p.e2e.DecryptionFailure;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eException;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.schemas.smack.SynchE2eIq;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.broker.BrokerSession;
import org.xp2p.xmpp.direct.AddressChoice;
import org.xp2p.xmpp.direct.PublishedEndpoints;
import org.xp2p.xmpp.direct.DirectLinks;
import org.xp2p.xmpp.link.Link;
import org.xp2p.xmpp.peers.PeerDirectory;
import org.xp2p.xmpp.peers.DirectoryKeyBook;

/**
 * Sends each message and iq request over the best path and sees it through: the direct
 * link when one is open or can be opened, otherwise the broker, always end-to-end
 * encrypted. A message is done when its XEP-0184 receipt arrives, a request when its
 * response does. Stanzas in flight on a link that dies (closed, or unconfirmed and silent
 * past the receipt timeout) are sent again over the broker with the same id; a peer that is
 * slow to confirm but still sends (keep-alives) keeps its link. The receiver drops duplicates
 * by id, so each is delivered once. Every send completes or fails with a reason.
 *
 * <p>Threads: each peer has a serial lane on the shared pool: choosing a path, encrypting
 * and writing happen there in send order, so stanzas leave each path in order (failovers
 * of older stanzas go before newer ones). Opening a link blocks that peer's lane only.
 * A ticker on the timer executor handles timeouts; whatever it finds to send again, it
 * hands to the peer's lane. Receipts and responses are matched on the caller's (inbound)
 * thread.
 *
 * <p>Broker sessions: each stanza remembers the broker session it was last written into
 * ({@link BrokerSession#session()}); one written into a session that has since ended may
 * have been lost with its connection. Before a stanza is written into the current session,
 * every older unconfirmed stanza of its peer that waits for the broker or was last written
 * into another session is written first, oldest first, and
 * {@link BrokerSession#send(Stanza, long)} never lets a stanza slip into a session other
 * than the one this check was made for. So the broker path stays in order across
 * reconnections, however the lanes, the ticker and the reconnection interleave.
 *
 * <p>Peers on the broker: a broker returns a message to a resource that is offline (or
 * keeps it for the account) yet hands a later one to the resource once it is back. So a
 * stanza to a peer whose presence we follow waits until that peer is available in the
 * current session ({@link BrokerSession#reaches}); when the peer comes back, whatever went
 * to it over the broker unconfirmed goes again, oldest first, before anything newer
 * ({@link #peerAvailable}). What a broker without stream management wrote into the peer's
 * dying connection is lost without a word, so a message it kept offline meanwhile can still
 * come in before the copy of an older one. With XEP-0198 on the broker (Prosody's mod_smacks,
 * on in Debian's default configuration) the peer's Smack resumes its session and gets them
 * all again in order.
 *
 * <p>While the broker or the peer on it is away, stanzas waiting for it are tried over a
 * direct link again every {@link RouterConfig#directRetry()} (the peer may be back, or its
 * DHT record may say where it went); whenever a stanza takes a link, the older ones still
 * waiting take it first, so the link delivers them in order.
 */
public final class Router implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final long TICK_MILLIS = 250;

    private enum Kind { MESSAGE, REQUEST, SYNCH }

    /** One stanza until it is confirmed or has failed; mutated on its peer's lane only. */
    private static final class Pending {
        final Kind kind;
        final String id;
        final String peer;
        final Stanza plain;
        final CompletableFuture<Object> future = new CompletableFuture<>();
        final long seq;
        final long createdNanos = System.nanoTime();
        volatile DeliveryPath path;
        volatile Link link;
        volatile long sentNanos;
        volatile boolean waitingForBroker;
        /** The broker session this stanza was last written into, or -1. */
        volatile long brokerSession = -1;
        volatile boolean resynchronised;
        volatile int attempts;

        Pending(Kind kind, String peer, Stanza plain, long seq) {
            this.kind = kind;
            this.id = plain.getStanzaId();
            this.peer = peer;
            this.plain = plain;
            this.seq = seq;
        }
    }

    private final class Lane {
        final SerialExecutor serial = new SerialExecutor(pool);
        final ConcurrentSkipListMap<Long, Pending> inFlight = new ConcurrentSkipListMap<>();
        volatile long directRetryAfterNanos;
        /** Some stanza was left waiting for the broker since the lane last found none; lane thread only. */
        boolean mayHaveStranded;
        /** A try of the direct path for stanzas stranded while the broker is away is queued. */
        final java.util.concurrent.atomic.AtomicBoolean directRetryQueued = new java.util.concurrent.atomic.AtomicBoolean();
        /**
         * The links this lane's stanzas went over that may still hold some in flight (usually
         * one); lane thread only. Lets a send check a link or two for death rather than the
         * whole window of unconfirmed stanzas.
         */
        final Set<Link> linksUsed = Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /** Counters since start. */
    public record Stats(long sentDirect, long sentBroker, long retransmitted, long delivered, long failed,
            long linksOpened, long linkOpenFailures) {
    }

    private final RouterConfig config;
    private final Jid ourJid;
    private final E2eEndpoint e2e;
    private final DirectoryKeyBook keys;
    private final PeerDirectory directory;
    private final DirectLinks links;
    private final BrokerSession broker;
    private final Supplier<P2pElement> ourEndpoints;
    private final Executor pool;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Map<String, Pending> byId = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong sentDirect = new AtomicLong();
    private final AtomicLong sentBroker = new AtomicLong();
    private final AtomicLong retransmitted = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong linksOpened = new AtomicLong();
    private final AtomicLong linkOpenFailures = new AtomicLong();
    private final ScheduledFuture<?> ticker;
    private volatile boolean closed;

    public Router(RouterConfig config, Jid ourJid, E2eEndpoint e2e, DirectoryKeyBook keys, PeerDirectory directory,
            DirectLinks links, BrokerSession broker, Supplier<P2pElement> ourEndpoints, Executor pool,
            ScheduledExecutorService timers) {
        this.config = config;
        this.ourJid = ourJid;
        this.e2e = e2e;
        this.keys = keys;
        this.directory = directory;
        this.links = links;
        this.broker = broker;
        this.ourEndpoints = ourEndpoints;
        this.pool = pool;
        this.ticker = timers.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends {@code message} (its {@code to} a peer's full JID) with a receipt request.
     * Completes with the {@link Delivery} when the receipt arrives; fails with
     * {@link SendFailedException} when it cannot be delivered by the deadline.
     */
    public CompletableFuture<Delivery> send(Message message) {
        String peer = requirePeer(message);
        if (DeliveryReceiptRequest.from(message) == null) {
            message.addExtension(new DeliveryReceiptRequest());
        }
        return submit(Kind.MESSAGE, peer, message).thenApply(Delivery.class::cast);
    }

    /** Sends an iq get or set; completes with its (decrypted) result or error. */
    public CompletableFuture<Response> request(IQ iq) {
        if (iq.getType() != IQ.Type.get && iq.getType() != IQ.Type.set) {
            throw new IllegalArgumentException("request() takes iq get or set, not " + iq.getType()
                    + "; results are sent by the device's handler");
        }
        String peer = requirePeer(iq);
        return submit(Kind.REQUEST, peer, iq).thenApply(Response.class::cast);
    }

    /**
     * Exchanges keys and endpoints with {@code peer} by synchE2e (plaintext, over the
     * broker); completes with the peer's answer.
     */
    public CompletableFuture<SynchE2eIq> synchronizeKeys(String peer, SynchE2eIq request) {
        request.setTo(jid(peer));
        if (request.getStanzaId() == null) {
            request.setStanzaId(StringUtils.randomString(12));
        }
        return submit(Kind.SYNCH, peer, request).thenApply(r -> {
            IQ iq = ((Response) r).iq();
            if (iq instanceof SynchE2eIq answer) {
                return answer;
            }
            throw new IllegalStateException("synchE2e to " + peer + " answered " + iq.getType()
                    + (iq.getError() != null ? ": " + iq.getError().getCondition() : ""));
        });
    }

    private String requirePeer(Stanza stanza) {
        Jid to = stanza.getTo();
        if (to == null || to.getResourceOrNull() == null) {
            throw new IllegalArgumentException("address stanzas to a peer's full JID (user@domain/resource), not " + to
                    + "; the peer directory lists the peers we know");
        }
        if (stanza.getStanzaId() == null) {
            stanza.setStanzaId(StringUtils.randomString(16));
        }
        return to.toString();
    }

    private CompletableFuture<Object> submit(Kind kind, String peer, Stanza plain) {
        Pending p = new Pending(kind, peer, plain, seq.incrementAndGet());
        if (closed) {
            p.future.completeExceptionally(new SendFailedException("the device is closed"));
            return p.future;
        }
        if (byId.putIfAbsent(p.id, p) != null) {
            throw new IllegalArgumentException("stanza id " + p.id + " is already in flight; use a fresh id per stanza");
        }
        Lane lane = lane(peer);
        lane.inFlight.put(p.seq, p);
        p.future.whenComplete((v, e) -> {
            byId.remove(p.id, p);
            lane.inFlight.remove(p.seq);
        });
        lane.serial.execute(() -> transmit(p, lane, false));
        return p.future;
    }

    private Lane lane(String peer) {
        return lanes.computeIfAbsent(peer, k -> new Lane());
    }

    /** On the peer's lane. */
    private void transmit(Pending p, Lane lane, boolean avoidDirect) {
        if (p.future.isDone()) {
            return;
        }
        try {
            transmitOnce(p, lane, avoidDirect);
        } catch (RuntimeException e) {
            LOG.error("Cannot send {} {} to {}", p.kind, p.id, p.peer, e);
            fail(p, "internal error: " + e);
        }
    }

    private void transmitOnce(Pending p, Lane lane, boolean avoidDirect) {
        failOverDeadLinks(lane, p.seq);
        Link link = avoidDirect || p.kind == Kind.SYNCH ? null : directLink(p.peer, lane);
        try {
            if (link != null) {
                if (lane.mayHaveStranded) {
                    sendStrandedFirst(p, lane, link);
                }
                sendDirect(p, lane, link);
                return;
            }
            p.path = DeliveryPath.BROKER;
            p.link = null;
            p.sentNanos = System.nanoTime();
            long session = broker.session();
            // older stanzas that wait or may be lost go first; while any still waits, so does this
            if (session < 0 || !brokerReaches(p) || !sendWaitingBefore(lane, p.seq, session)) {
                p.waitingForBroker = true; // sent when the broker, or the peer on it, is back
                lane.mayHaveStranded = true;
                return;
            }
            Stanza wire = p.kind == Kind.SYNCH ? p.plain : seal(p);
            broker.send(wire, session); // into this session or not at all
            countTransmission(p);
            p.brokerSession = session;
            p.waitingForBroker = false;
            sentBroker.incrementAndGet();
        } catch (E2eException e) {
            if (p.link == null && !brokerCarries(p)) {
                p.waitingForBroker = true; // it left since we looked, and its keys with its presence
                lane.mayHaveStranded = true;
            } else {
                fail(p, "cannot encrypt for " + p.peer + ": " + e.getMessage());
            }
        } catch (SmackException.NotConnectedException e) {
            p.waitingForBroker = true;
            lane.mayHaveStranded = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(p, "interrupted");
        }
    }

    private void sendDirect(Pending p, Lane lane, Link link) throws E2eException {
        Stanza wire = seal(p);
        p.path = DeliveryPath.DIRECT_LINK;
        p.link = link;
        lane.linksUsed.add(link);
        p.waitingForBroker = false;
        p.sentNanos = System.nanoTime();
        links.touch(link);
        sentDirect.incrementAndGet();
        countTransmission(p);
        link.send(wire).whenComplete((v, e) -> {
            if (e != null) {
                lane.serial.execute(() -> failOver(p, lane, link, "write failed: " + e.getMessage()));
            }
        });
    }

    /** Counts a stanza written into a path: not a try that found no path to write it into. */
    private void countTransmission(Pending p) {
        if (++p.attempts > 1) {
            retransmitted.incrementAndGet();
        }
    }

    /**
     * Older stanzas stranded while the broker is away take the link before {@code p}: it
     * delivers in order. (Scanned only after some stanza was stranded: the window of
     * unconfirmed stanzas is long, and this runs for every stanza sent on a link.)
     */
    private void sendStrandedFirst(Pending p, Lane lane, Link link) {
        for (Pending q : lane.inFlight.headMap(p.seq).values()) {
            if (strandedWithoutBroker(q)) {
                try {
                    sendDirect(q, lane, link);
                } catch (E2eException e) {
                    fail(q, "cannot encrypt for " + q.peer + ": " + e.getMessage());
                }
            }
        }
        lane.mayHaveStranded = lane.inFlight.values().stream().anyMatch(q -> q != p && strandedWithoutBroker(q));
    }

    /** Waits for a broker that is away, and could go over a link instead. */
    private static boolean strandedWithoutBroker(Pending q) {
        return !q.future.isDone() && q.waitingForBroker && q.link == null && q.kind != Kind.SYNCH;
    }

    /**
     * On the peer's lane, while the broker or the peer on it is away: tries the direct path
     * again for the stanzas waiting for the broker (the newest carries the older ones with
     * it, in order).
     */
    private void retryDirect(Lane lane) {
        lane.directRetryQueued.set(false);
        for (Pending q : lane.inFlight.descendingMap().values()) {
            if (strandedWithoutBroker(q)) {
                if (!brokerCarries(q)) {
                    transmit(q, lane, false);
                } // else the broker is back for it: resendOnBroker sends them
                return;
            }
        }
    }

    private boolean brokerCarries(Pending q) {
        return broker.session() >= 0 && brokerReaches(q);
    }

    /**
     * On the peer's lane: older stanzas on the broker path that still wait for the broker,
     * or were last written into another session than {@code session} (the broker may have
     * lost them with the old connection), go out again, oldest first, before a newer one, so
     * that the broker path stays in order.
     */
    private boolean sendWaitingBefore(Lane lane, long before, long session) {
        boolean allSent = true;
        for (Pending q : lane.inFlight.headMap(before).values()) {
            if (mustGoBeforeNewer(q, session)) {
                transmitOnce(q, lane, true);
                allSent &= !mustGoBeforeNewer(q, session);
            }
        }
        return allSent;
    }

    /**
     * Whether the broker should get {@code p} to its peer now (see
     * {@link BrokerSession#reaches}); synchE2e always goes, as it is how we learn that a
     * peer is back with new keys.
     */
    private boolean brokerReaches(Pending p) {
        return p.kind == Kind.SYNCH || broker.reaches(p.plain.getTo());
    }

    private static boolean mustGoBeforeNewer(Pending q, long session) {
        return !q.future.isDone() && q.path == DeliveryPath.BROKER && q.link == null
                && (q.waitingForBroker || q.brokerSession != session);
    }

    /** On the peer's lane: sends what waits for the broker or may be lost, in order. */
    private void resendOnBroker(Lane lane) {
        long session = broker.session();
        if (session >= 0) {
            sendWaitingBefore(lane, Long.MAX_VALUE, session);
        }
    }

    /**
     * A broker session is ready (after a reconnection): unconfirmed stanzas sent over the
     * old one go out again at once, in order. (Order does not depend on this call: anything
     * newer sent first would send them first.)
     */
    public void brokerReconnected() {
        for (Lane lane : lanes.values()) {
            lane.serial.execute(() -> resendOnBroker(lane));
        }
    }

    /** Older stanzas still waiting on a link that is gone go over the broker first (ordering). */
    private void failOverDeadLinks(Lane lane, long before) {
        boolean someDead = false;
        for (Link l : lane.linksUsed) {
            someDead |= !l.isOpen();
        }
        if (!someDead) {
            return;
        }
        for (Pending q : lane.inFlight.headMap(before).values()) {
            Link l = q.link;
            if (l != null && !l.isOpen()) {
                failOver(q, lane, l, "link closed: " + l.closeReason());
            }
        }
        // a dead link is forgotten once no stanza in flight (newer ones included) names it
        lane.linksUsed.removeIf(l -> !l.isOpen() && lane.inFlight.values().stream().noneMatch(q -> q.link == l));
    }

    private void failOver(Pending p, Lane lane, Link dead, String why) {
        if (p.future.isDone() || p.link != dead) {
            return;
        }
        LOG.debug("{} id={} to {} fails over to the broker ({})", p.kind, p.id, p.peer, why);
        p.link = null;
        transmit(p, lane, true);
    }

    private Stanza seal(Pending p) throws E2eException {
        if (p.plain instanceof Message m) {
            return e2e.encrypt(m, ourJid, keys.keysOf(p.peer));
        }
        return e2e.encrypt((IQ) p.plain, ourJid, keys.keysOf(p.peer));
    }

    /** The open link to {@code peer}, or a new one when it can be opened now. On the peer's lane. */
    private Link directLink(String peer, Lane lane) {
        if (links == null) {
            return null;
        }
        Optional<Link> open = links.link(peer);
        if (open.isPresent()) {
            return open.get();
        }
        if (!config.directEnabled() || System.nanoTime() < lane.directRetryAfterNanos || links.closing(peer)) {
            return null; // the broker carries on until the old link is fully shut
        }
        Optional<AddressChoice> choice = addressOf(peer);
        if ((choice.isEmpty() || keys.keysOf(peer).isEmpty()) && broker.session() < 0 && lookUpAgain.test(peer)) {
            choice = addressOf(peer); // the broker is down: the peer's record may say where it is
        }
        if (choice.isEmpty() || keys.keysOf(peer).isEmpty()) {
            return null; // no <p2p/> or no keys: the broker it is
        }
        IOException failure;
        try {
            return open(peer, choice.get());
        } catch (IOException e) {
            failure = e;
        }
        // The peer may have moved (a restart, a new mapping) and republished its record.
        Optional<AddressChoice> moved = lookUpAgain.test(peer) ? addressOf(peer) : Optional.empty();
        if (moved.isPresent() && !moved.equals(choice)) {
            try {
                return open(peer, moved.get());
            } catch (IOException e) {
                failure = e;
                choice = moved;
            }
        }
        lane.directRetryAfterNanos = System.nanoTime() + config.directRetry().toNanos();
        LOG.info("No direct link to {} at {} ({}); using the broker for {} s", peer, choice.get().target(),
                failure.getMessage(), config.directRetry().toSeconds());
        return null;
    }

    private Optional<AddressChoice> addressOf(String peer) {
        return PublishedEndpoints.of(directory, peer).flatMap(i -> AddressChoice.of(ourEndpoints.get(), i));
    }

    private Link open(String peer, AddressChoice choice) throws IOException {
        try {
            Link link = links.open(peer, choice);
            linksOpened.incrementAndGet();
            return link;
        } catch (IOException e) {
            linkOpenFailures.incrementAndGet();
            throw e;
        }
    }

    /**
     * Set by the device: fetches a peer's published endpoints and keys again (its DHT
     * record), waiting a bounded time; true when something new came in.
     */
    private volatile java.util.function.Predicate<String> lookUpAgain = peer -> false;

    public void setLookUpAgain(java.util.function.Predicate<String> lookUp) {
        this.lookUpAgain = lookUp;
    }

    /** A receipt for message {@code id} arrived from {@code from}. */
    public void receiptArrived(String from, String id) {
        Pending p = byId.get(id);
        if (p == null || p.kind != Kind.MESSAGE || !p.peer.equals(from)) {
            return; // a late duplicate receipt, or not ours
        }
        delivered.incrementAndGet();
        p.future.complete(new Delivery(id, p.path, p.attempts));
    }

    /**
     * Conditions under which a broker returns a message because its recipient is not there
     * (RFC 6121 section 8.5.3.2.1; the last two from a remote domain): worth sending again
     * once the peer is back, unlike any other error.
     */
    private static final Set<StanzaError.Condition> RECIPIENT_AWAY = Set.of(StanzaError.Condition.service_unavailable,
            StanzaError.Condition.recipient_unavailable, StanzaError.Condition.item_not_found,
            StanzaError.Condition.remote_server_not_found, StanzaError.Condition.remote_server_timeout);

    /**
     * Our message {@code id} to {@code from} came back through the broker as an error;
     * returns false when it is not ours (the caller hands it on as any message). When the
     * peer is not there, the message goes again when the peer is back, if we follow its
     * presence (see {@link #peerAvailable}; the broker told us it left before it returned
     * this), else after {@link RouterConfig#brokerRetry()}; any other error fails the send
     * with it.
     */
    public boolean messageBounced(Jid from, String id, StanzaError error) {
        Pending p = id == null ? null : byId.get(id);
        if (p == null || p.kind != Kind.MESSAGE || !p.peer.equals(from.toString())) {
            return false;
        }
        StanzaError.Condition condition = error == null ? StanzaError.Condition.undefined_condition : error.getCondition();
        if (RECIPIENT_AWAY.contains(condition)) {
            LOG.debug("message {} to {} came back ({}); it goes again when the peer is back", p.id, p.peer, condition);
        } else {
            String text = error == null ? null : error.getDescriptiveText();
            fail(p, "returned as an error: " + condition + (text != null ? " (" + text + ")" : ""));
        }
        return true;
    }

    /**
     * {@code peer} is available on the broker again (or for the first time in this session):
     * what waits for it leaves, in order. So does what went to it over the broker and is
     * unconfirmed: it may have been lost with the peer's old connection (which the broker
     * neither returns nor retries), and must not arrive after anything newer. (The peer drops
     * the copies it already had.)
     */
    public void peerAvailable(String peer) {
        Lane lane = lanes.get(peer);
        if (lane == null) {
            return;
        }
        lane.serial.execute(() -> {
            for (Pending q : lane.inFlight.values()) {
                if (!q.future.isDone() && q.path == DeliveryPath.BROKER && q.link == null && q.kind != Kind.SYNCH) {
                    q.waitingForBroker = true;
                }
            }
            resendOnBroker(lane);
        });
    }

    /**
     * A response (already decrypted) arrived; returns false when no request waits for it.
     * A peer's report that it could not decrypt our request triggers one key
     * re-synchronisation and one retry.
     */
    public boolean responseArrived(IQ response) {
        Pending p = byId.get(response.getStanzaId());
        if (p == null || p.kind == Kind.MESSAGE || response.getFrom() == null
                || !p.peer.equals(response.getFrom().toString())) {
            return false;
        }
        if (p.kind == Kind.REQUEST && DecryptionFailure.isReport(response) && !p.resynchronised) {
            p.resynchronised = true;
            Lane lane = lane(p.peer);
            LOG.info("{} could not decrypt request {}; re-synchronising keys and retrying once", p.peer, p.id);
            resynchronise(p.peer).whenComplete((v, e) -> lane.serial.execute(() -> transmit(p, lane, false)));
            return true;
        }
        delivered.incrementAndGet();
        p.future.complete(new Response(response, p.path, p.attempts));
        return true;
    }

    /** Set by the device: how to re-synchronise keys with a peer. */
    private volatile java.util.function.Function<String, CompletableFuture<?>> resynchroniser =
            peer -> CompletableFuture.completedFuture(null);

    public void setResynchroniser(java.util.function.Function<String, CompletableFuture<?>> r) {
        this.resynchroniser = r;
    }

    private CompletableFuture<?> resynchronise(String peer) {
        return resynchroniser.apply(peer);
    }

    /** A link closed: its unconfirmed stanzas go over the broker, in order. */
    public void linkClosed(Link link) {
        if (link.peer() == null) {
            return;
        }
        Lane lane = lanes.get(link.peer());
        if (lane == null) {
            return;
        }
        lane.serial.execute(() -> {
            for (Pending p : lane.inFlight.values()) {
                if (p.link == link) {
                    failOver(p, lane, link, "link closed: " + link.closeReason());
                }
            }
        });
    }

    private void tick() {
        long now = System.nanoTime();
        long session = broker.session();
        for (Lane lane : lanes.values()) {
            Link stalled = null;
            boolean resend = false;
            for (Pending p : lane.inFlight.values()) {
                if (now - p.createdNanos > config.deadline().toNanos()) {
                    fail(p, "not confirmed within " + config.deadline().toSeconds() + " s after " + p.attempts
                            + " transmission(s), last over " + p.path + (!p.waitingForBroker ? ""
                            : session < 0 ? " (the broker is away)" : " (" + p.peer + " is not online there)"));
                } else if (p.link != null && now - p.sentNanos > config.receiptTimeout().toNanos() && p.link.isOpen()
                        && !p.link.heardWithin(config.receiptTimeout())) {
                    // Silent too: the path is dead. A peer that still sends (keep-alives,
                    // receipts for earlier stanzas) is alive, only slow to handle: its
                    // stanzas complete when it confirms them, or fail at the deadline.
                    stalled = p.link;
                } else if (session >= 0 && mustGoBeforeNewer(p, session) && brokerReaches(p)) {
                    resend = true; // the broker is back: the lane sends these, in order
                } else if (p.link == null && p.path == DeliveryPath.BROKER
                        && now - p.sentNanos > config.brokerRetry().toNanos()) {
                    p.sentNanos = now; // one retransmission per period
                    // Stays on the broker: a retransmission over the link could overtake
                    // newer stanzas there, and each path delivers in order.
                    lane.serial.execute(() -> transmit(p, lane, true));
                }
            }
            if (resend) {
                lane.serial.execute(() -> resendOnBroker(lane));
            } else if (links != null && config.directEnabled() && now >= lane.directRetryAfterNanos
                    && lane.inFlight.values().stream().anyMatch(q -> strandedWithoutBroker(q) && !brokerCarries(q))
                    && lane.directRetryQueued.compareAndSet(false, true)) {
                lane.serial.execute(() -> retryDirect(lane)); // the peer may be reachable directly by now
            }
            if (stalled != null) {
                LOG.info("No receipt and no byte on the link to {} for {} s: dropping it, the broker carries on",
                        stalled.peer(), config.receiptTimeout().toSeconds());
                // Reset, not a closing handshake: what the stalled link still holds unsent must
                // not reach the peer later, behind stanzas of the link that replaces it.
                stalled.abort("no receipt and no byte within " + config.receiptTimeout().toSeconds() + " s");
                linkClosed(stalled);
            }
        }
    }

    private void fail(Pending p, String reason) {
        if (p.future.completeExceptionally(new SendFailedException(p.kind.name().toLowerCase() + " " + p.id + " to "
                + p.peer + ": " + reason))) {
            failed.incrementAndGet();
            LOG.info("Send failed: {} {} to {}: {}", p.kind, p.id, p.peer, reason);
        }
    }

    public Stats stats() {
        return new Stats(sentDirect.get(), sentBroker.get(), retransmitted.get(), delivered.get(), failed.get(),
                linksOpened.get(), linkOpenFailures.get());
    }

    private static Jid jid(String s) {
        try {
            return org.jxmpp.jid.impl.JidCreate.from(s);
        } catch (org.jxmpp.stringprep.XmppStringprepException e) {
            throw new IllegalArgumentException("not a JID: " + s, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        ticker.cancel(false);
        for (Pending p : List.copyOf(byId.values())) {
            fail(p, "the device closed before it was confirmed");
        }
        new ArrayList<>(lanes.keySet()).forEach(lanes::remove);
    }
}
