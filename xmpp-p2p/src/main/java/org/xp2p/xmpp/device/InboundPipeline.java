package org.xp2p.xmpp.device;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.packet.ErrorIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.util.StringUtils;
import org.jivesoftware.smackx.receipts.DeliveryReceipt;
import org.jivesoftware.smackx.receipts.DeliveryReceiptRequest;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eException;
import org.xp2p.e2e.Inbound;
import org.xp2p.e2e.PeerKeys;
import org.xp2p.e2e.PendingInbound;
import org.xp2p.schemas.smack.EncryptedElement;
import org.xp2p.schemas.smack.EncryptedIq;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.schemas.smack.SynchE2eIq;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.OrderedParallelStage;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.broker.BrokerSession;
import org.xp2p.xmpp.link.Link;
import org.xp2p.xmpp.peers.PeerDirectory;
import org.xp2p.xmpp.peers.DirectoryKeyBook;
import org.xp2p.xmpp.routing.DuplicateFilter;
import org.xp2p.xmpp.routing.Router;

/**
 * Every message and iq that reaches the device, whichever path carried it, goes through
 * here: decrypt, verify and replay-check (E2E); on direct links refuse anything that was
 * not encrypted (stage two of link authentication); answer synchE2e for approved contacts
 * only; match receipts and responses to our own sends; send receipts; drop retransmitted
 * duplicates by id; hand the rest to the application's {@link StanzaHandler}.
 *
 * <p>Threads: runs on the device's single inbound thread only, so stanzas reach the
 * handler in the order each path delivered them; only {@link #decryptEarly} runs ahead of
 * it on the device's pool (see {@link org.xp2p.xmpp.OrderedParallelStage}). Replies leave
 * on the path the request came by (the broker when that link is gone).
 */
final class InboundPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(InboundPipeline.class);
    private static final int REMEMBERED_IDS = 200_000;
    private static final int MAX_RECEIPTS_PER_MESSAGE = 128;

    private final E2eEndpoint e2e;
    private final DirectoryKeyBook keys;
    private final PeerDirectory directory;
    private final BrokerSession broker;
    /** Whether a JID may ask for our keys and have its messages held while we fetch its new ones. */
    private final java.util.function.Predicate<Jid> approved;
    private final Router router;
    private final StanzaHandler handler;
    private final Supplier<P2pElement> ourEndpoints;
    private final Jid ourJid;
    private final DuplicateFilter<Boolean> seenMessages = new DuplicateFilter<>(REMEMBERED_IDS);
    private final DuplicateFilter<IQ> seenRequests = new DuplicateFilter<>(10_000);
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong plaintextRefused = new AtomicLong();
    final AtomicLong synchRefused = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    private final java.util.concurrent.Executor self;
    private final java.util.Map<ReceiptRoute, List<String>> pendingReceipts = new java.util.LinkedHashMap<>();
    private boolean flushScheduled;
    /** The lane that released the stanza being handled, if any; inbound thread only. */
    private OrderedParallelStage.Lane currentLane;
    private static final int MAX_PARKED = 10_000;
    private final java.util.Map<String, List<Parked>> parked = new java.util.HashMap<>();
    private final java.util.function.Function<String, java.util.concurrent.CompletableFuture<?>> resynchroniser;
    private boolean replaying;
    final AtomicLong parkOverflow = new AtomicLong();
    final AtomicLong heldForKeys = new AtomicLong();

    InboundPipeline(E2eEndpoint e2e, DirectoryKeyBook keys, PeerDirectory directory, BrokerSession broker,
            java.util.function.Predicate<Jid> approved, Router router, StanzaHandler handler,
            Supplier<P2pElement> ourEndpoints, Jid ourJid, java.util.concurrent.Executor self,
            java.util.function.Function<String, java.util.concurrent.CompletableFuture<?>> resynchroniser) {
        this.self = self;
        this.resynchroniser = resynchroniser;
        this.e2e = e2e;
        this.keys = keys;
        this.directory = directory;
        this.broker = broker;
        this.approved = approved;
        this.router = router;
        this.handler = handler;
        this.ourEndpoints = ourEndpoints;
        this.ourJid = ourJid;
    }

    /** One received stanza; {@code link} is null for the broker path. */
    void handle(Stanza received, DeliveryPath path, Link link) {
        handle(received, path, link, null, null);
    }

    /**
     * Decrypts, verifies and replay-checks an encrypted message or iq ahead of
     * {@link #handle}, on the caller's thread (the device's pool, many stanzas at once);
     * null for anything else. Thread-safe: the E2E endpoint is, and its replay windows
     * accept each counter once whichever thread asks first.
     */
    Early decryptEarly(Stanza received) {
        Jid from = received.getFrom();
        if (from == null || from.getResourceOrNull() == null || received instanceof SynchE2eIq || !encrypted(received)) {
            return null;
        }
        PeerKeys senderKeys = keys.keysOf(from.toString());
        return new Early(e2e.decryptDeferringSignature(received, senderKeys), senderKeys);
    }

    /**
     * What {@link #decryptEarly} found, and with which of the sender's keys: a stanza
     * decrypted ahead may have been checked before a presence or synchE2e that arrived
     * earlier brought the sender's new keys.
     */
    record Early(PendingInbound decrypted, PeerKeys senderKeys) {
        /** The stanza's fate; its signature is checked now if the batch of its group has not. */
        Inbound inbound() {
            return decrypted.result();
        }
    }

    /**
     * As {@link #handle(Stanza, DeliveryPath, Link)}, with the result of {@link #decryptEarly}
     * if any, released by {@code lane} (the path's, or null): receipts queued now wait
     * there for the stanzas the path has already brought (see {@link #queueReceipt}).
     */
    void handle(Stanza received, DeliveryPath path, Link link, Early early, OrderedParallelStage.Lane lane) {
        currentLane = lane;
        try {
            handleDecrypted(received, path, link, early == null ? null : current(received, early));
        } finally {
            currentLane = null;
        }
    }

    private void handleDecrypted(Stanza received, DeliveryPath path, Link link, Inbound decrypted) {
        try {
            process(received, path, link, decrypted);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.error("Dropped {} id={} from {}: internal error", received.getClass().getSimpleName(),
                    received.getStanzaId(), received.getFrom(), e);
        }
    }

    /**
     * Early decryption that failed for want of the sender's keys counts only if the keys
     * are still those it used; else (null) the stanza is decrypted again now, with the keys
     * everything ahead of it in the path has brought. Nothing was spent by the failure: a
     * replay window records a counter only once a stanza verified.
     */
    private Inbound current(Stanza received, Early early) {
        if (early.inbound() instanceof Inbound.Rejected rejected && staleSenderKeys(rejected.reason())
                && keys.keysOf(received.getFrom().toString()) != early.senderKeys()) {
            return null;
        }
        return early.inbound();
    }

    /** Drops a stanza whose early decryption failed with an internal error, counted as such. */
    void dropFailed(Stanza received, Throwable failure) {
        failures.incrementAndGet();
        LOG.error("Dropped {} id={} from {}: internal error while decrypting", received.getClass().getSimpleName(),
                received.getStanzaId(), received.getFrom(), failure);
    }

    private void process(Stanza received, DeliveryPath path, Link link, Inbound decrypted) {
        Jid from = received.getFrom();
        LOG.trace("{} id={} from {} via {}", received.getClass().getSimpleName(), received.getStanzaId(), from, path);
        if (from == null || from.getResourceOrNull() == null) {
            return; // from our server itself (roster pushes and the like are Smack's)
        }
        String peer = from.toString();
        if (received instanceof IQ iq && (iq.getType() == IQ.Type.result || iq.getType() == IQ.Type.error)) {
            response(iq, peer, decrypted);
            return;
        }
        if (received instanceof SynchE2eIq request) {
            answerSynch(request, peer, link);
            return;
        }
        if (link != null && !encrypted(received)
                && !(received instanceof Message m && m.getType() == Message.Type.error)) {
            refusePlaintext(received, peer, link); // stage two of direct-link authentication
            return;
        }
        if (received instanceof Message m && m.getType() == Message.Type.error && link == null
                && router.messageBounced(from, m.getStanzaId(), m.getError())) {
            return; // one of ours, returned by the broker: the router sends it again or fails it
        }
        if (received instanceof Message && parked.containsKey(peer) && !replaying) {
            // behind older messages waiting for the sender's keys; an accepted decryption is
            // kept, since its counter is now spent
            park(peer, received, path, link, decrypted instanceof Inbound.Accepted ? decrypted : null);
            return;
        }
        Inbound inbound = decrypted != null ? decrypted : e2e.decrypt(received, keys.keysOf(peer));
        if (inbound instanceof Inbound.Rejected rejected) {
            if (received instanceof Message && !replaying && staleSenderKeys(rejected.reason())
                    && approved.test(from)) {
                park(peer, received, path, link, null);
                return;
            }
            rejected.errorReply().ifPresent(reply -> reply(reply, link, false));
            return; // logged once and counted by the E2E layer
        }
        Inbound.Accepted accepted = (Inbound.Accepted) inbound;
        Stanza stanza = accepted.stanza();
        if (!accepted.wasEncrypted() && link != null && !(stanza instanceof Message m && m.getType() == Message.Type.error)) {
            refusePlaintext(stanza, peer, link);
            return;
        }
        Arrival arrival = new Arrival(path, peer, accepted.wasEncrypted());
        String bare = from.asBareJid().toString();
        if (stanza instanceof Message message) {
            List<DeliveryReceipt> receipts = message.getExtensions(DeliveryReceipt.class);
            if (!receipts.isEmpty()) {
                receipts.forEach(r -> router.receiptArrived(peer, r.getId()));
                return;
            }
            if (DeliveryReceiptRequest.from(message) != null && message.getStanzaId() != null) {
                if (speaksXp2p(peer, accepted.wasEncrypted())) {
                    queueReceipt(from, link, message.getStanzaId());
                } else {
                    standardReceipt(from, link, message.getStanzaId());
                }
            }
            if (message.getStanzaId() != null && !seenMessages.firstTime(bare, message.getStanzaId(), Boolean.TRUE)) {
                duplicates.incrementAndGet();
                return;
            }
            handler.onMessage(message, arrival);
        } else if (stanza instanceof IQ request) {
            if (!seenRequests.firstTime(bare, request.getStanzaId(), null)) {
                duplicates.incrementAndGet();
                IQ earlier = seenRequests.value(bare, request.getStanzaId());
                if (earlier != null) {
                    reply(earlier, link, !(earlier.getType() == IQ.Type.error));
                }
                return;
            }
            IQ answer = answer(request, arrival);
            seenRequests.update(bare, request.getStanzaId(), answer);
            reply(answer, link, answer.getType() != IQ.Type.error);
        }
    }

    private static boolean encrypted(Stanza s) {
        return s instanceof EncryptedIq || (s instanceof Message && EncryptedElement.in(s).isPresent());
    }

    /**
     * A contact's message that fails to verify may be signed with keys it generated when it
     * reconnected, whose presence has not reached us yet. Rather than drop it (the sender
     * would retransmit later, after newer messages: out of order), we hold it and every later
     * message of that contact, ask the contact for its keys (synchE2e), and then process them
     * all in arrival order. What still fails then is dropped as usual.
     */
    private void park(String peer, Stanza stanza, DeliveryPath path, Link link, Inbound accepted) {
        List<Parked> held = parked.computeIfAbsent(peer, k -> new ArrayList<>());
        if (held.size() >= MAX_PARKED) {
            LOG.info("Dropped message {} from {}: {} messages already wait for its keys", stanza.getStanzaId(), peer,
                    MAX_PARKED);
            parkOverflow.incrementAndGet();
            return;
        }
        held.add(new Parked(stanza, path, link, accepted));
        heldForKeys.incrementAndGet();
        if (held.size() == 1) {
            LOG.info("Message {} from {} does not verify with the keys we know; asking it for its keys",
                    stanza.getStanzaId(), peer);
            resynchroniser.apply(peer).whenComplete((v, e) -> self.execute(() -> replay(peer)));
        }
    }

    private void replay(String peer) {
        List<Parked> held = parked.remove(peer);
        if (held == null) {
            return;
        }
        replaying = true;
        try {
            for (Parked p : held) {
                handleDecrypted(p.stanza(), p.path(), p.link(), p.accepted());
            }
        } finally {
            replaying = false;
        }
    }

    private static boolean staleSenderKeys(org.xp2p.e2e.RejectReason reason) {
        return reason == org.xp2p.e2e.RejectReason.UNDECRYPTABLE || reason == org.xp2p.e2e.RejectReason.UNKNOWN_SENDER_KEY;
    }

    private record Parked(Stanza stanza, DeliveryPath path, Link link, Inbound accepted) {
    }

    /**
     * Whether the sender is an xp2p device, which reads several {@code <received/>} in one
     * message: it sent this message end-to-end encrypted (our format), or it published our
     * {@code <e2e/>} or {@code <p2p/>} (presence, synchE2e, the DHT). Anyone else is treated
     * as a plain XEP-0184 client, which expects one receipt per message.
     */
    private boolean speaksXp2p(String peer, boolean wasEncrypted) {
        return wasEncrypted || directory.get(peer)
                .filter(info -> info.e2eKeys().isPresent() || info.externalEndpoint().isPresent()).isPresent();
    }

    /** One XEP-0184 receipt for one message, as any client expects (section 5 of the XEP). */
    private void standardReceipt(Jid to, Link link, String id) {
        Message ack = StanzaBuilder.buildMessage(StringUtils.randomString(12)).to(to)
                .addExtension(new DeliveryReceipt(id)).build();
        reply(ack, link, true); // encrypted if the peer has keys after all; plaintext is its only option otherwise
    }

    /**
     * To xp2p devices (see {@link #speaksXp2p}) receipts are batched: every message that the
     * path has already brought (read, maybe still being decrypted) is acknowledged by one
     * encrypted receipt message (one {@code <received/>} per id, at most
     * {@value #MAX_RECEIPTS_PER_MESSAGE}), sent once those have been handled: the flush
     * queues in the path's lane behind them, or on the inbound thread when there is no lane
     * or it is full. Under load this saves most of the signing and verifying a receipt per
     * message would cost (decryption on several threads keeps the inbound thread's own queue
     * short, so batching by that queue alone acknowledged only a handful per receipt); when
     * idle a receipt leaves at once.
     */
    private void queueReceipt(Jid to, Link link, String id) {
        List<String> ids = pendingReceipts.computeIfAbsent(new ReceiptRoute(to, link), k -> new ArrayList<>());
        ids.add(id);
        if (ids.size() >= MAX_RECEIPTS_PER_MESSAGE) {
            flush(new ReceiptRoute(to, link), ids);
            pendingReceipts.remove(new ReceiptRoute(to, link));
        } else if (!flushScheduled) {
            flushScheduled = true;
            OrderedParallelStage.Lane lane = currentLane;
            if (lane == null || !lane.tryExecute(this::flushReceipts)) {
                self.execute(this::flushReceipts);
            }
        }
    }

    private void flushReceipts() {
        flushScheduled = false;
        pendingReceipts.forEach(this::flush);
        pendingReceipts.clear();
    }

    private void flush(ReceiptRoute route, List<String> ids) {
        org.jivesoftware.smack.packet.MessageBuilder ack = StanzaBuilder.buildMessage(StringUtils.randomString(12))
                .to(route.to());
        ids.forEach(id -> ack.addExtension(new DeliveryReceipt(id)));
        reply(ack.build(), route.link(), true);
    }

    private record ReceiptRoute(Jid to, Link link) {
    }

    private IQ answer(IQ request, Arrival arrival) {
        IQ answer;
        try {
            answer = handler.onIqRequest(request, arrival);
        } catch (RuntimeException e) {
            LOG.warn("The application's iq handler failed on {}", request.getStanzaId(), e);
            answer = error(request, StanzaError.Condition.internal_server_error, "the handler failed");
        }
        if (answer == null) {
            return error(request, StanzaError.Condition.service_unavailable, null);
        }
        answer.setStanzaId(request.getStanzaId());
        answer.setTo(request.getFrom());
        return answer;
    }

    private void response(IQ iq, String peer, Inbound decrypted) {
        Inbound inbound = decrypted != null ? decrypted : e2e.decrypt(iq, keys.keysOf(peer));
        IQ response = inbound instanceof Inbound.Accepted a ? (IQ) a.stanza()
                : ((Inbound.Rejected) inbound).failedResponse().orElse(null);
        if (response == null) {
            return;
        }
        if (response instanceof SynchE2eIq answer) {
            learn(answer, peer);
        }
        router.responseArrived(response);
    }

    private void answerSynch(SynchE2eIq request, String peer, Link link) {
        if (request.getType() != IQ.Type.get && request.getType() != IQ.Type.set) {
            return;
        }
        if (!approved.test(request.getFrom())) {
            synchRefused.incrementAndGet();
            LOG.info("Refused synchE2e from {}: not our account, no approved subscription and no contact offer", peer);
            reply(error(request, StanzaError.Condition.forbidden, "synchE2e is answered for approved contacts only"),
                    link, false);
            return;
        }
        learn(request, peer);
        reply(SynchE2eIq.resultFor(request, e2e.e2eElement(), ourEndpoints.get()), link, false);
    }

    private void learn(SynchE2eIq synch, String peer) {
        PeerInfo.Builder b = PeerInfo.builder(peer, PeerInfo.Source.SYNCH_E2E, Instant.now());
        synch.p2p().ifPresent(p -> b.localEndpoints(List.of(p.local())).externalEndpoint(p.external()));
        synch.e2e().ifPresent(b::e2eKeys);
        directory.put(b.build());
    }

    private void refusePlaintext(Stanza stanza, String peer, Link link) {
        plaintextRefused.incrementAndGet();
        LOG.info("Refused an unencrypted {} id={} from {} on a direct link", stanza.getClass().getSimpleName(),
                stanza.getStanzaId(), peer);
        if (stanza instanceof IQ iq && (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set)) {
            reply(error(iq, StanzaError.Condition.forbidden, "End-to-end encryption is required on direct links."),
                    link, false);
        }
    }

    private static IQ error(IQ request, StanzaError.Condition condition, String text) {
        StanzaError.Builder error = StanzaError.getBuilder(condition);
        if (text != null) {
            error.setDescriptiveEnText(text);
        }
        IQ reply = ErrorIQ.builder(error.build(), StanzaBuilder.buildIqData(request.getStanzaId())
                .ofType(IQ.Type.error).to(request.getFrom())).build();
        return reply;
    }

    /** Sends on {@code link} while it is open, else through the broker; encrypted when asked. */
    private void reply(Stanza stanza, Link link, boolean encrypt) {
        Stanza wire = stanza;
        if (encrypt) {
            String to = stanza.getTo().toString();
            try {
                wire = stanza instanceof Message m ? e2e.encrypt(m, ourJid, keys.keysOf(to))
                        : e2e.encrypt((IQ) stanza, ourJid, keys.keysOf(to));
            } catch (E2eException e) {
                LOG.info("Reply {} to {} not sent: {}", stanza.getStanzaId(), to, e.getMessage());
                return;
            }
        }
        if (link != null && link.isOpen()) {
            link.send(wire);
            return;
        }
        try {
            broker.send(wire);
        } catch (SmackException.NotConnectedException e) {
            LOG.debug("Reply {} lost with the broker connection; the peer retransmits", stanza.getStanzaId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
