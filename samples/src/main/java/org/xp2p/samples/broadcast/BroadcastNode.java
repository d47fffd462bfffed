package org.xp2p.samples.broadcast;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.xml.namespace.QName;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.w3c.dom.Element;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.samples.common.SampleXml;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.linklocal.LinkLocalDevice;

/**
 * A device's broadcast side. It originates broadcasts signed with its identity key and
 * sends one copy to each contact. It checks each copy it receives, in this order: the
 * payload validates, the origin's key is pinned here, the signature is that key's, the time
 * is within the freshness window, and the origin's sequence number is new. A copy that
 * passes is posted to the webhook and, on a relay, sent on unchanged to every contact but
 * the one it came from and the origin.
 *
 * <p>Handler calls come on the device's executor, possibly for several peers at once; the
 * node's state is guarded by its lock, and sends and posts do not block it (the device and
 * the HTTP client own those threads).
 */
public final class BroadcastNode implements StanzaHandler {
    public static final String NAMESPACE = "urn:xp2p:sample:broadcast:1";
    static final SampleXml XML = SampleXml.load(NAMESPACE, BroadcastNode.class, "broadcast.xsd");
    private static final QName ELEMENT = new QName(NAMESPACE, "broadcast");
    /**
     * Sequence numbers remembered per origin; older ones fall under the floor. Enough for a
     * broadcast every 0.3 s within the freshness window; a faster origin's copies that
     * arrive out of order by more than this many are refused as duplicates.
     */
    static final int REMEMBERED_PER_ORIGIN = 1024;

    /** One received copy and what became of it. {@code broadcast} is null when it did not parse. */
    public record Event(String from, SignedBroadcast broadcast, Verdict verdict, String detail) {
    }

    /** One webhook post: its HTTP status, or -1 and the reason it failed. */
    public record Post(SignedBroadcast broadcast, int status, String error) {
    }

    /** What one {@link #broadcast} did: the broadcast, and per contact null (sent) or why not. */
    public record Sent(SignedBroadcast broadcast, List<String> sentTo, Map<String, String> failed) {
    }

    /** The sequence numbers seen from one origin: a bounded set above a floor. */
    private static final class Seen {
        final LinkedHashSet<Long> sequences = new LinkedHashSet<>();
        long floor = -1;

        /** False when {@code sequence} was seen (or is at or below what we forgot). */
        boolean add(long sequence) {
            if (sequence <= floor || !sequences.add(sequence)) {
                return false;
            }
            if (sequences.size() > REMEMBERED_PER_ORIGIN) {
                Iterator<Long> oldest = sequences.iterator();
                floor = Math.max(floor, oldest.next());
                oldest.remove();
            }
            return true;
        }
    }

    private final IdentityKey identity;
    private final Map<String, byte[]> originKeys;
    private final boolean relay;
    private final WebhookPoster webhook;
    private final Duration freshness;
    private final Clock clock;
    private final Map<String, Seen> seen = new HashMap<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Post> posts = new ArrayList<>();
    private LinkLocalDevice device;
    private List<String> contacts = List.of();
    private long lastSequence;

    /**
     * @param identity   our identity key, which signs what we originate
     * @param originKeys the pinned identity keys of the origins we accept, by instance name
     * @param relay      whether we pass accepted broadcasts on to our contacts
     * @param webhook    where accepted broadcasts are posted; null for none
     * @param freshness  how far a broadcast's time may be from our clock, either way
     */
    public BroadcastNode(IdentityKey identity, Map<String, byte[]> originKeys, boolean relay, WebhookPoster webhook,
            Duration freshness, Clock clock) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.originKeys = new HashMap<>();
        originKeys.forEach((origin, key) -> this.originKeys.put(origin, key.clone()));
        this.relay = relay;
        this.webhook = webhook;
        this.freshness = Objects.requireNonNull(freshness, "freshness");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Binds the node to its started device and the contacts it sends to (instance names). */
    public synchronized void attach(LinkLocalDevice startedDevice, List<String> contactInstances) {
        this.device = Objects.requireNonNull(startedDevice, "device");
        this.contacts = List.copyOf(contactInstances);
        originKeys.put(device.instance(), identity.publicKey()); // our own copies come back as duplicates
    }

    /**
     * Signs {@code text} and sends a copy to each contact; waits up to {@code bound} for
     * the copies to be written.
     */
    public Sent broadcast(String text, Duration bound) throws InterruptedException {
        SignedBroadcast b;
        List<String> to;
        synchronized (this) {
            requireAttached();
            // increasing across restarts too, as long as the clock does not go back
            long sequence = Math.max(lastSequence + 1, clock.millis());
            lastSequence = sequence;
            b = SignedBroadcast.sign(device.instance(), identity, sequence, clock.millis(), text);
            seen.computeIfAbsent(b.origin(), o -> new Seen()).add(b.sequence());
            to = contacts;
        }
        Map<String, CompletableFuture<Void>> copies = new LinkedHashMap<>();
        for (String peer : to) {
            copies.put(peer, sendTo(peer, b));
        }
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> sent = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<Void>> c : copies.entrySet()) {
            try {
                c.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                sent.add(c.getKey());
            } catch (ExecutionException e) {
                failed.put(c.getKey(), String.valueOf((e.getCause() != null ? e.getCause() : e).getMessage()));
            } catch (TimeoutException e) {
                failed.put(c.getKey(), "not sent within " + bound.toMillis() + " ms");
            }
        }
        return new Sent(b, sent, failed);
    }

    /** Sends {@code b} as it is to {@code peer}: how relays forward, and how a test replays or forges. */
    public CompletableFuture<Void> sendTo(String peer, SignedBroadcast b) {
        LinkLocalDevice d;
        synchronized (this) {
            requireAttached();
            d = device;
        }
        Message m;
        try {
            m = StanzaBuilder.buildMessage().to(JidCreate.from(peer)).ofType(Message.Type.normal)
                    .addExtension(StandardExtensionElement.builder("broadcast", NAMESPACE)
                            .addAttribute("origin", b.origin())
                            .addAttribute("seq", Long.toString(b.sequence()))
                            .addAttribute("time", Long.toString(b.timeMillis()))
                            .addAttribute("sig", Base64.getEncoder().encodeToString(b.signature()))
                            .setText(b.text()).build())
                    .build();
        } catch (XmppStringprepException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("'" + peer + "' is not an instance name", e));
        }
        return d.send(m);
    }

    @Override
    public void onMessage(Message message, Arrival arrival) {
        ExtensionElement payload = message.getExtension(ELEMENT);
        if (payload == null) {
            return; // not a broadcast
        }
        String from = arrival.peer();
        SignedBroadcast b;
        try {
            Element e = XML.read(payload.toXML().toString());
            b = new SignedBroadcast(e.getAttribute("origin"), Long.parseLong(e.getAttribute("seq")),
                    Long.parseLong(e.getAttribute("time")), e.getTextContent(),
                    Base64.getMimeDecoder().decode(e.getAttribute("sig")));
        } catch (SampleXml.InvalidXmlException e) {
            record(new Event(from, null, Verdict.MALFORMED, e.getMessage()));
            return;
        }
        Event verdict = judge(from, b);
        if (verdict.verdict() != Verdict.ACCEPTED) {
            return;
        }
        if (webhook != null) {
            webhook.post(ourInstance(), from, b).whenComplete((status, failure) -> recordPost(new Post(b,
                    failure == null ? status : -1, failure == null ? null : String.valueOf(failure.getMessage()))));
        }
        if (relay) {
            for (String peer : contactsSnapshot()) {
                if (!peer.equalsIgnoreCase(from) && !peer.equalsIgnoreCase(b.origin())) {
                    sendTo(peer, b);
                }
            }
        }
    }

    private synchronized Event judge(String from, SignedBroadcast b) {
        byte[] key = originKeys.get(b.origin());
        Event e;
        if (key == null) {
            e = new Event(from, b, Verdict.UNKNOWN_ORIGIN, "no key is pinned for origin " + b.origin());
        } else if (!b.verifies(key)) {
            e = new Event(from, b, Verdict.FORGED, "the signature is not " + b.origin() + "'s over this broadcast");
        } else if (Math.abs(clock.millis() - b.timeMillis()) > freshness.toMillis()) {
            e = new Event(from, b, Verdict.STALE, "sent " + (clock.millis() - b.timeMillis()) / 1000
                    + " s ago, outside the " + freshness.toSeconds() + " s window");
        } else if (!seen.computeIfAbsent(b.origin(), o -> new Seen()).add(b.sequence())) {
            e = new Event(from, b, Verdict.DUPLICATE, b.id() + " was seen already");
        } else {
            e = new Event(from, b, Verdict.ACCEPTED, "signed by " + b.origin() + ", fresh and new");
        }
        events.add(e);
        notifyAll();
        return e;
    }

    private synchronized void record(Event e) {
        events.add(e);
        notifyAll();
    }

    private synchronized void recordPost(Post p) {
        posts.add(p);
        notifyAll();
    }

    private synchronized List<String> contactsSnapshot() {
        return contacts;
    }

    private synchronized String ourInstance() {
        return device != null ? device.instance() : "(not attached)";
    }

    private void requireAttached() {
        if (device == null) {
            throw new IllegalStateException("attach the node to its started device first");
        }
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    public synchronized List<Post> posts() {
        return List.copyOf(posts);
    }

    /** Waits until an event matches, or the bound passes; returns the events then. */
    public synchronized List<Event> awaitEvent(Predicate<Event> wanted, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (events.stream().noneMatch(wanted)) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
                break;
            }
            wait(Math.max(1, leftNanos / 1_000_000));
        }
        return List.copyOf(events);
    }
}
