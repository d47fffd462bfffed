package org.xp2p.xmpp.linklocal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.ContactOffer;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.NodeId;
import org.xp2p.discovery.dht.PresenceMirror;
import org.xp2p.discovery.dht.PutResult;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.PublishedKey;
import org.xp2p.xmpp.link.StreamErrorCondition;
import org.xp2p.xmpp.link.StreamFault;
import org.xp2p.xmpp.secure.PeerBinding;

/**
 * A device's side of the DHT: it mirrors our presence (instance name, link endpoint(s),
 * current E2E keys) into the DHT, and it keeps the signed presence records of the
 * contacts we know by identity key, so that a contact can be reached, and authenticated,
 * with nothing but the DHT.
 *
 * <p>A contact's record decides three things: where we dial it ({@link #resolve}), from
 * which addresses we take its streams (stage one, {@link #authenticate}), and which
 * identity key and E2E keys may prove its name on a link (stage two, as the protector's
 * {@link PeerBinding}). A name belongs to the contact whose current record lists it; when
 * several records list one name, a contact offer naming it decides, and without one the
 * name is refused as ambiguous. Records are looked up on demand (first use, stale or
 * expired record, a failed dial, an unlisted source address, E2E keys that differ) and
 * every refresh period.
 *
 * <p>Threads: none of its own. Lookups complete on the DHT node's loop; the blocking waits
 * (bounded by {@link #LOOKUP_WAIT_MILLIS}) happen on the device's executor and on link
 * reader threads; the periodic refresh runs on the device's scheduler. Thread-safe. The
 * {@link DhtNode} belongs to the caller: closing the device stops our publishing and
 * refreshing, not the node.
 */
public final class DhtPeers implements PeerBinding {
    private static final Logger LOG = LoggerFactory.getLogger(DhtPeers.class);
    /** How often every contact's record is looked up again by default. */
    public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);
    /** How long a blocking step (dial, inbound check, identity check) waits for a lookup. */
    public static final long LOOKUP_WAIT_MILLIS = 5000;

    /** One contact: its identity key, the name its offer gave (if any) and its newest record. */
    private static final class Contact {
        final byte[] key;
        final String offeredJid;
        volatile PeerInfo record;
        volatile long fetchedAtMillis;
        private CompletableFuture<Optional<PeerInfo>> inFlight;

        Contact(byte[] key, String offeredJid) {
            this.key = key.clone();
            this.offeredJid = offeredJid;
        }
    }

    /** Counters since start. */
    public record Stats(long publishes, long lookups, long recordsFound, long streamsRefused, long identitiesRefused) {
    }

    private final DhtNode node;
    private final PresenceMirror mirror;
    private final Duration refresh;
    private final Map<String, Contact> contacts = new ConcurrentHashMap<>();
    private final AtomicLong publishes = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong found = new AtomicLong();
    private final AtomicLong streamsRefused = new AtomicLong();
    private final AtomicLong identitiesRefused = new AtomicLong();
    private volatile CompletableFuture<PutResult> lastPublish =
            CompletableFuture.failedFuture(new IllegalStateException("the device has not published yet"));
    private volatile String instance;
    private volatile List<InetSocketAddress> localEndpoints = List.of();
    private volatile Optional<InetSocketAddress> externalEndpoint = Optional.empty();
    private volatile Supplier<E2eElement> ourKeys;
    private volatile boolean closed;

    DhtPeers(DhtNode node, Duration refresh) {
        this.node = Objects.requireNonNull(node, "node");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.mirror = new PresenceMirror(node);
    }

    /** The DHT node we publish and look up through. */
    public DhtNode node() {
        return node;
    }

    /**
     * Adds a contact from the offer it handed us: its identity key, the name it gave (which
     * decides between records that list the same name) and its DHT addresses, which our
     * node tries as routing contacts. Looks its record up at once. Does not touch the
     * protector's allow-list: whether the contact may talk at all is still that list's call.
     */
    public void addContact(ContactOffer offer) {
        add(offer.identityKey(), offer.jid());
        node.importOffer(offer).whenComplete((c, e) -> {
            if (e != null || c.isEmpty()) {
                LOG.info("No DHT address in {}'s offer answered for its key; its record is still looked up", offer.jid());
            }
        });
    }

    /** Adds a contact known only by its Ed25519 identity key (32 octets); looks its record up at once. */
    public void addContact(byte[] identityKey) {
        add(identityKey, null);
    }

    private void add(byte[] identityKey, String jid) {
        if (identityKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 identity key has 32 octets, not " + identityKey.length);
        }
        if (Arrays.equals(identityKey, node.identity().publicKey())) {
            throw new IllegalArgumentException("that identity key is our own");
        }
        Contact fresh = new Contact(identityKey, jid);
        Contact c = contacts.compute(hex(identityKey), (k, old) -> {
            if (old == null) {
                return fresh;
            }
            if (jid == null || jid.equals(old.offeredJid)) {
                return old;
            }
            fresh.record = old.record; // a newer offer renames it; the record still holds
            fresh.fetchedAtMillis = old.fetchedAtMillis;
            return fresh;
        });
        if (instance != null) {
            fetch(c);
        }
    }

    /** The contacts' current (unexpired) records. */
    public List<PeerInfo> peers() {
        List<PeerInfo> all = new ArrayList<>();
        for (Contact c : contacts.values()) {
            PeerInfo r = current(c);
            if (r != null) {
                all.add(r);
            }
        }
        return all;
    }

    /** The current record of the contact that owns {@code jid}, as last looked up (no lookup). */
    public Optional<PeerInfo> peer(String jid) {
        List<Contact> owners = owners(jid);
        return owners.size() == 1 ? Optional.ofNullable(current(owners.get(0))) : Optional.empty();
    }

    /** Looks a contact's record up now; completes with its newest record known. */
    public CompletableFuture<Optional<PeerInfo>> refresh(byte[] identityKey) {
        Contact c = contacts.get(hex(identityKey));
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a contact: " + hex(identityKey)));
        }
        return fetch(c).thenApply(r -> Optional.ofNullable(current(c)));
    }

    /** The outcome of our latest publish (at start, and after each change of keys or addresses). */
    public CompletableFuture<PutResult> published() {
        return lastPublish;
    }

    public Stats stats() {
        return new Stats(publishes.get(), lookups.get(), found.get(), streamsRefused.get(), identitiesRefused.get());
    }

    // ---- used by the device ----

    /** Publishes our presence for the first time and looks up the contacts added so far. */
    void start(String ourInstance, List<InetSocketAddress> local, Optional<InetSocketAddress> external,
               Supplier<E2eElement> keys) {
        this.instance = ourInstance;
        this.localEndpoints = List.copyOf(local);
        this.externalEndpoint = external;
        this.ourKeys = keys;
        republish();
        refreshAll();
    }

    /** Our external endpoint changed (a port mapping came or went): publish again. */
    void externalEndpoint(Optional<InetSocketAddress> external) {
        this.externalEndpoint = Objects.requireNonNull(external, "external");
        republish();
    }

    Optional<InetSocketAddress> externalEndpoint() {
        return externalEndpoint;
    }

    /** Signs and stores a new record with our current instance, endpoints and keys. */
    void republish() {
        if (closed || instance == null) {
            return;
        }
        publishes.incrementAndGet();
        CompletableFuture<PutResult> f = mirror.publish(new PresenceMirror.Presence(List.of(instance), localEndpoints,
                externalEndpoint, ourKeys.get()));
        f.whenComplete((r, e) -> {
            if (e != null || !r.succeeded()) {
                LOG.info("Our DHT presence was stored nowhere yet ({}); the mirror retries",
                        e != null ? e.toString() : r);
            }
        });
        lastPublish = f;
    }

    /** Looks every contact up again (the periodic refresh); does not wait. */
    void refreshAll() {
        if (!closed) {
            contacts.values().forEach(this::fetch);
        }
    }

    Duration refreshPeriod() {
        return refresh;
    }

    /**
     * The record to dial {@code jid} with: empty when no contact owns the name; looked up
     * (waiting) when it is missing, stale or expired.
     *
     * @throws IllegalStateException when the name is ambiguous or the owner has no record in the DHT
     */
    Optional<PeerInfo> resolve(String jid) {
        List<Contact> owners = ownersResolved(jid);
        if (owners.isEmpty()) {
            return Optional.empty();
        }
        Contact c = single(owners, jid);
        PeerInfo r = current(c);
        if (r == null || System.currentTimeMillis() - c.fetchedAtMillis > refresh.toMillis()) {
            r = fresh(c);
        }
        if (r == null) {
            throw new IllegalStateException("contact " + jid + " (identity " + hex(c.key).substring(0, 16)
                    + "…) has no presence record in the DHT");
        }
        return Optional.of(r);
    }

    /** After a failed dial: the owner's record looked up again, if it changed. */
    Optional<PeerInfo> refetchAfterFailure(String jid, PeerInfo tried) {
        List<Contact> owners = owners(jid);
        if (owners.size() != 1) {
            return Optional.empty();
        }
        PeerInfo r = fresh(owners.get(0));
        return r != null && PresenceMirror.seq(r) != PresenceMirror.seq(tried)
                ? Optional.of(r) : Optional.empty();
    }

    /**
     * Stage one for names a contact owns: the TCP source must be an address the owner's
     * current signed record lists (its record is looked up again before refusing).
     *
     * @return empty when no contact owns {@code claimed} (other rules apply), else the name as the record spells it
     * @throws StreamFault {@code invalid-from} when a contact owns the name but the source does not match
     */
    Optional<String> authenticate(String claimed, InetAddress source) throws StreamFault {
        List<Contact> owners = ownersResolved(claimed);
        if (owners.isEmpty()) {
            return Optional.empty();
        }
        if (owners.size() > 1) {
            throw refuseStream(claimed, source, "the name is listed by " + owners.size()
                    + " contacts' DHT records and no contact offer decides");
        }
        Contact c = owners.get(0);
        PeerInfo r = current(c);
        if (r == null || !listsAddress(r, source)) {
            r = fresh(c);
        }
        if (r == null) {
            throw refuseStream(claimed, source, "the contact has no presence record in the DHT");
        }
        if (!listsAddress(r, source)) {
            throw refuseStream(claimed, source, "its signed DHT record does not list " + source.getHostAddress());
        }
        return Optional.of(spelled(r, claimed));
    }

    /**
     * Stage two for names a contact owns: exactly the identity key that signs the owner's
     * record, over exactly the E2E keys the record lists (looked up again once when they
     * differ, since the peer may have rotated and republished since our last lookup).
     */
    @Override
    public Optional<String> refusal(String peer, byte[] identityKey, E2eElement presentedKeys) {
        List<Contact> owners = ownersResolved(peer);
        if (owners.isEmpty()) {
            return Optional.empty();
        }
        if (owners.size() > 1) {
            return refuseIdentity(peer + " is listed by " + owners.size() + " contacts' DHT records and no contact offer"
                    + " decides");
        }
        Contact c = owners.get(0);
        if (!Arrays.equals(identityKey, c.key)) {
            return refuseIdentity("the identity key proven for " + peer + " is not the one that signs its DHT record");
        }
        PeerInfo r = current(c);
        if (r == null || !listsJid(r, peer) || !sameKeys(r, presentedKeys)) {
            r = fresh(c);
        }
        if (r == null || !listsJid(r, peer)) {
            return refuseIdentity("no current signed DHT record of this identity lists " + peer);
        }
        if (!sameKeys(r, presentedKeys)) {
            return refuseIdentity("the E2E keys " + peer + " sent in synchE2e are not those of its signed DHT record");
        }
        return Optional.empty();
    }

    void close() {
        closed = true;
        mirror.close();
    }

    // ---- records ----

    private CompletableFuture<Optional<PeerInfo>> fetch(Contact c) {
        synchronized (c) {
            if (c.inFlight != null && !c.inFlight.isDone()) {
                return c.inFlight;
            }
            lookups.incrementAndGet();
            CompletableFuture<Optional<PeerInfo>> f = mirror.lookup(c.key).thenApply(r -> {
                r.ifPresent(info -> take(c, info));
                return r;
            });
            c.inFlight = f;
            return f;
        }
    }

    /** Looks {@code c} up and waits (bounded); the newest record known afterwards, or null. */
    private PeerInfo fresh(Contact c) {
        try {
            fetch(c).get(LOOKUP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("DHT lookup of {} failed: {}", hex(c.key), e.toString());
        }
        return current(c);
    }

    private void take(Contact c, PeerInfo info) {
        if (!Arrays.equals(info.identityKey().orElse(null), c.key)) {
            return; // the mirror verified the signature; this guards the key derivation too
        }
        synchronized (c) {
            PeerInfo old = c.record;
            if (old == null || PresenceMirror.seq(info) >= PresenceMirror.seq(old)) {
                c.record = info;
            }
            c.fetchedAtMillis = System.currentTimeMillis();
        }
        found.incrementAndGet();
    }

    private static PeerInfo current(Contact c) {
        PeerInfo r = c.record;
        if (r == null) {
            return null;
        }
        return PresenceMirror.expired(r, Instant.now()) ? null : r;
    }

    /**
     * The contacts owning {@code jid} by the records we hold; when none does, the contacts
     * whose record we lack are looked up first (a contact that just came online), so a
     * known name costs no wait and an unknown one at most {@link #LOOKUP_WAIT_MILLIS}.
     */
    private List<Contact> ownersResolved(String jid) {
        List<Contact> known = owners(jid);
        if (!known.isEmpty()) {
            return known;
        }
        List<Contact> unknown = contacts.values().stream().filter(c -> current(c) == null).toList();
        if (!unknown.isEmpty()) {
            List<CompletableFuture<Optional<PeerInfo>>> all = unknown.stream().map(this::fetch).toList();
            try {
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                        .get(LOOKUP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("DHT lookups of {} contacts did not all finish: {}", unknown.size(), e.toString());
            }
        }
        return owners(jid);
    }

    private List<Contact> owners(String jid) {
        List<Contact> listed = new ArrayList<>();
        for (Contact c : contacts.values()) {
            PeerInfo r = current(c);
            if (r != null ? listsJid(r, jid) : jid.equalsIgnoreCase(c.offeredJid)) {
                listed.add(c);
            }
        }
        if (listed.size() > 1) {
            List<Contact> offered = listed.stream().filter(c -> jid.equalsIgnoreCase(c.offeredJid)).toList();
            if (!offered.isEmpty()) {
                return offered;
            }
        }
        return listed;
    }

    private static Contact single(List<Contact> owners, String jid) {
        if (owners.size() > 1) {
            throw new IllegalStateException(jid + " is listed by " + owners.size()
                    + " contacts' DHT records and no contact offer decides; not dialling any");
        }
        return owners.get(0);
    }

    private static boolean listsJid(PeerInfo r, String jid) {
        return PresenceMirror.jids(r).stream().anyMatch(j -> j.equalsIgnoreCase(jid));
    }

    private static String spelled(PeerInfo r, String jid) {
        return PresenceMirror.jids(r).stream().filter(j -> j.equalsIgnoreCase(jid)).findFirst().orElse(jid);
    }

    static boolean listsAddress(PeerInfo r, InetAddress source) {
        for (InetSocketAddress e : r.localEndpoints()) {
            if (source.equals(e.getAddress())) {
                return true;
            }
        }
        return r.externalEndpoint().map(e -> source.equals(e.getAddress())).orElse(false);
    }

    /**
     * Whether {@code presented} holds exactly the record's keys: the small ones inline, the
     * large ones (which the record names by SHA-256) by digest.
     */
    static boolean sameKeys(PeerInfo r, E2eElement presented) {
        E2eElement inline = r.e2eKeys().orElse(null);
        if (inline == null) {
            return false;
        }
        long digests = r.attributes().keySet().stream().filter(k -> k.startsWith(PresenceMirror.KEY_DIGEST)).count();
        if (presented.keys().size() != inline.keys().size() + digests) {
            return false;
        }
        for (PublishedKey k : presented.keys()) {
            if (inline.keys().contains(k)) {
                continue;
            }
            String digest = r.attributes().get(PresenceMirror.KEY_DIGEST + k.type().elementName());
            if (digest == null || !digest.equals(HexFormat.of().formatHex(NodeId.ofPublicKey(k.pub()).bytes()))) {
                return false;
            }
        }
        return true;
    }

    private StreamFault refuseStream(String claimed, InetAddress source, String why) {
        streamsRefused.incrementAndGet();
        LOG.info("Refused a stream from {} claiming {}: {}", source.getHostAddress(), claimed, why);
        return new StreamFault(StreamErrorCondition.INVALID_FROM, why);
    }

    private Optional<String> refuseIdentity(String why) {
        identitiesRefused.incrementAndGet();
        LOG.info("Refused an identity: {}", why);
        return Optional.of(why);
    }

    /** Counts a stream refused because no rule (mDNS or DHT contact) knows the claimed name. */
    StreamFault refuseUnknown(String claimed, InetAddress source) {
        return refuseStream(String.valueOf(claimed), source, "no DHT contact's record lists "
                + (claimed == null ? "a nameless stream" : claimed) + " and mDNS is off");
    }

    private static String hex(byte[] key) {
        return HexFormat.of().formatHex(key).toLowerCase(Locale.ROOT);
    }
}
