package org.xp2p.xmpp.device;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.xp2p.discovery.dht.PutResult;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.xmpp.peers.PeerDirectory;

/**
 * A broker device's presence in the DHT, and its contacts' there. It mirrors our full JID,
 * link endpoints and current E2E keys into a record signed by our DHT node's identity key,
 * and feeds the signed records of the contacts whose offers we imported into the peer
 * directory (source DHT). Contacts then still find each other's endpoints and keys while
 * the broker is down, even after one of them restarted with new ones.
 *
 * <p>Trust: a contact is an offer's identity key and JID. Its record counts only for names
 * under that offer's bare JID, so a contact cannot speak for another account, and a JID no
 * offer names is never looked up. A record's snapshot is dated by its seq (when its owner
 * signed it, never later than now), so an old replica does not outrank a newer presence.
 *
 * <p>Threads: none of its own. Lookups complete on the DHT node's loop;
 * {@link #lookUpNow} waits on the caller's thread (a peer's routing lane, a link reader)
 * for at most {@link #LOOKUP_WAIT_MILLIS}; the periodic refresh runs on the device's timer.
 * The node belongs to the caller: {@link #close()} stops our publishing, not the node.
 */
final class DhtPresence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DhtPresence.class);
    /** The longest a routing lane or link reader waits for a contact's record. */
    static final long LOOKUP_WAIT_MILLIS = 5000;
    /** A contact looked up on demand this recently is not again (a peer that is simply away costs one wait). */
    static final long ON_DEMAND_INTERVAL_MILLIS = 10_000;

    /** One contact: the offer's identity key, and the names its records gave us. */
    private static final class Contact {
        final BareJid jid;
        final byte[] identityKey;
        final Set<String> names = ConcurrentHashMap.newKeySet();
        volatile long onDemandAtMillis;
        private CompletableFuture<Boolean> inFlight;

        Contact(BareJid jid, byte[] identityKey) {
            this.jid = jid;
            this.identityKey = identityKey.clone();
        }
    }

    /** Counters since start. */
    record Stats(long publishes, long lookups, long recordsTaken, long namesRefused) {
    }

    private final PresenceMirror mirror;
    private final PeerDirectory directory;
    private final Map<BareJid, Contact> contacts;
    private final AtomicLong publishes = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong recordsTaken = new AtomicLong();
    private final AtomicLong namesRefused = new AtomicLong();
    private volatile CompletableFuture<PutResult> lastPublish =
            CompletableFuture.failedFuture(new IllegalStateException("not published yet"));
    private ScheduledFuture<?> refresh;
    private volatile boolean closed;

    /**
     * @throws IllegalArgumentException for an offer whose JID is not a JID, that is our own
     *                                  identity, or that gives a bare JID another offer gives with another key
     */
    DhtPresence(DhtNode node, Collection<ContactOffer> offers, PeerDirectory directory) {
        this.mirror = new PresenceMirror(node);
        this.directory = directory;
        Map<BareJid, Contact> byJid = new HashMap<>();
        for (ContactOffer offer : offers) {
            if (Arrays.equals(offer.identityKey(), node.identity().publicKey())) {
                throw new IllegalArgumentException("the offer for " + offer.jid() + " carries our own identity key");
            }
            BareJid bare = bareJid(offer.jid());
            Contact old = byJid.putIfAbsent(bare, new Contact(bare, offer.identityKey()));
            if (old != null && !Arrays.equals(old.identityKey, offer.identityKey())) {
                throw new IllegalArgumentException("two offers give " + bare + " with different identity keys;"
                        + " import only the one you trust");
            }
            node.importOffer(offer).whenComplete((c, e) -> {
                if (e != null || c.isEmpty()) {
                    LOG.info("No DHT address in {}'s offer answered; its record is still looked up", bare);
                }
            });
        }
        this.contacts = Map.copyOf(byJid);
    }

    private static BareJid bareJid(String jid) {
        try {
            return JidCreate.from(jid).asBareJid();
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException("the offer's JID " + jid + " is not a JID: " + e.getMessage(), e);
        }
    }

    /** Whether {@code jid}'s account gave us an offer: a contact whatever the broker's roster says. */
    boolean isContact(Jid jid) {
        return contacts.containsKey(jid.asBareJid());
    }

    /** Signs and stores a new record of us; called at start and on every change of keys or endpoints. */
    void publish(EntityFullJid us, P2pElement endpoints, E2eElement keys) {
        if (closed) {
            return;
        }
        publishes.incrementAndGet();
        PresenceMirror.Presence presence = new PresenceMirror.Presence(List.of(us.toString()),
                endpoints == null ? List.of() : List.of(endpoints.local()),
                endpoints == null ? Optional.empty() : Optional.of(endpoints.external()), keys);
        CompletableFuture<PutResult> f = mirror.publish(presence);
        f.whenComplete((r, e) -> {
            if (e != null || !r.succeeded()) {
                LOG.info("{}: our DHT record was stored nowhere yet ({}); the mirror retries", us,
                        e != null ? e.toString() : r);
            }
        });
        lastPublish = f;
    }

    /** The outcome of our latest publish. */
    CompletableFuture<PutResult> published() {
        return lastPublish;
    }

    /** Looks every contact up now and then every {@code period}, on {@code timers}. */
    void startRefreshing(ScheduledExecutorService timers, Duration period) {
        refresh = timers.scheduleWithFixedDelay(() -> contacts.values().forEach(this::lookUp), 0, period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Looks up the record of {@code jid}'s account; completes with whether it brought a record. */
    CompletableFuture<Boolean> lookUp(Jid jid) {
        Contact c = contacts.get(jid.asBareJid());
        return c == null ? CompletableFuture.completedFuture(false) : lookUp(c);
    }

    /**
     * Looks {@code jid}'s account up unless this was asked in the last
     * {@link #ON_DEMAND_INTERVAL_MILLIS}, and waits for at most {@link #LOOKUP_WAIT_MILLIS}.
     *
     * @return whether a record came in
     */
    boolean lookUpNow(Jid jid) {
        Contact c = contacts.get(jid.asBareJid());
        long now = System.currentTimeMillis();
        if (c == null || closed || now - c.onDemandAtMillis < ON_DEMAND_INTERVAL_MILLIS) {
            return false;
        }
        c.onDemandAtMillis = now;
        try {
            return lookUp(c).get(LOOKUP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("DHT lookup of {} did not finish: {}", c.jid, e.toString());
        }
        return false;
    }

    private CompletableFuture<Boolean> lookUp(Contact c) {
        synchronized (c) {
            if (c.inFlight != null && !c.inFlight.isDone()) {
                return c.inFlight;
            }
            lookups.incrementAndGet();
            CompletableFuture<Boolean> f = mirror.lookup(c.identityKey).thenApply(r -> {
                r.ifPresentOrElse(record -> take(c, record), () -> forgetExpired(c));
                return r.isPresent();
            });
            c.inFlight = f;
            return f;
        }
    }

    /** Puts the record's names under the contact's bare JID into the directory; refuses the rest. */
    private void take(Contact c, PeerInfo record) {
        if (closed || !Arrays.equals(record.identityKey().orElse(null), c.identityKey)) {
            return; // the mirror checked the signature; this checks whose record it is
        }
        Instant dated = Instant.ofEpochMilli(Math.min(PresenceMirror.seq(record), System.currentTimeMillis()));
        Set<String> names = new HashSet<>(PresenceMirror.jids(record));
        recordsTaken.incrementAndGet();
        for (String name : names) {
            if (!underContact(name, c.jid)) {
                namesRefused.incrementAndGet();
                LOG.info("Ignored the name {} in {}'s DHT record: its offer gives {} only", name, c.jid, c.jid);
                continue;
            }
            c.names.add(name);
            PeerInfo.Builder b = PeerInfo.builder(name, PeerInfo.Source.DHT, dated)
                    .localEndpoints(record.localEndpoints())
                    .externalEndpoint(record.externalEndpoint().orElse(null))
                    .e2eKeys(record.e2eKeys().orElse(null))
                    .identityKey(c.identityKey);
            record.attributes().forEach(b::attribute);
            directory.put(b.build());
        }
    }

    private static boolean underContact(String name, BareJid contact) {
        try {
            Jid jid = JidCreate.from(name);
            return jid.hasResource() && jid.asBareJid().equals(contact);
        } catch (XmppStringprepException | IllegalArgumentException e) {
            return false;
        }
    }

    /** No record in the DHT now: what an expired one told us goes. */
    private void forgetExpired(Contact c) {
        for (String name : c.names) {
            directory.get(name, PeerInfo.Source.DHT).filter(old -> PresenceMirror.expired(old, Instant.now()))
                    .ifPresent(old -> directory.remove(name, PeerInfo.Source.DHT));
        }
    }

    Stats stats() {
        return new Stats(publishes.get(), lookups.get(), recordsTaken.get(), namesRefused.get());
    }

    @Override
    public void close() {
        closed = true;
        if (refresh != null) {
            refresh.cancel(false);
        }
        mirror.close();
    }
}
