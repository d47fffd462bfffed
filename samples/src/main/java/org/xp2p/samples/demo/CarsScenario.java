package org.xp2p.samples.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.PublicRecords;
import org.xp2p.e2e.identity.IdentityKey;

/**
 * The smart-car scenario, start to finish: a Toyota and a Ford drive (simulated sensors),
 * publish public traffic samples into the DHT and send their speed-limit and door events,
 * end-to-end encrypted over real links, to the owner and the security company only; the
 * traffic monitor reads the public records and is refused when it asks the cars for more.
 * Everything runs on 127.0.0.1 in this process with the real library: mDNS, XEP-0174
 * streams, E2E, the UDP DHT. Ends with a verdict from the {@link DeliveryLedger}.
 *
 * <p>Runs on the calling thread; every device and DHT node it starts is closed before
 * {@link #run} returns.
 */
final class CarsScenario {
    private static final Duration DISCOVERY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);
    private static final List<Party> CARS = List.of(Party.TOYOTA, Party.FORD);

    /**
     * What the run is asked to do.
     *
     * @param broker the XMPP broker to meet through (plaintext, in-band registration), or
     *               empty for the serverless scenario
     */
    record Settings(Duration duration, Duration tick, long seed, int dhtBystanders,
                    Optional<InetSocketAddress> broker, String brokerDomain) {
        Settings {
            if (duration.compareTo(tick.multipliedBy(3)) < 0) {
                throw new IllegalArgumentException("run for at least three ticks (" + tick.multipliedBy(3).toSeconds()
                        + " s); asked for " + duration.toSeconds() + " s");
            }
            if (dhtBystanders < 3) {
                throw new IllegalArgumentException("the DHT needs at least 3 bystander nodes, asked for " + dhtBystanders);
            }
            broker.ifPresent(b -> {
                if (!b.getAddress().isLoopbackAddress()) {
                    throw new IllegalArgumentException("the demo runs on this machine only: give a broker on "
                            + "127.0.0.1 or ::1, not " + b);
                }
            });
        }

        static Settings serverless(Duration duration, long seed, int dhtBystanders) {
            return new Settings(duration, Duration.ofSeconds(1), seed, dhtBystanders, Optional.empty(), "");
        }
    }

    /** How it went; {@link #ok()} is the demo's exit status. */
    record Outcome(DeliveryLedger.Verdict deliveries, List<TrafficMonitor.RoadStats> roads, int carsSeenInDht,
                   Map<Party, String> refusals, List<String> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Settings settings;
    private final Console console;
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final Map<Party, IdentityKey> identities = new EnumMap<>(Party.class);
    private final Map<Party, DemoDevice> devices = new EnumMap<>(Party.class);
    private final Map<Party, EventInbox> inboxes = new EnumMap<>(Party.class);
    private final Map<Party, DhtNode> dhtNodes = new EnumMap<>(Party.class);
    private final Map<Party, PublicRecords> publicRecords = new EnumMap<>(Party.class);
    private final Map<Party, String> refusals = new EnumMap<>(Party.class);
    private final List<String> problems = new ArrayList<>();

    private CarsScenario(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.console = new Console(out);
    }

    static Outcome run(Settings settings, PrintWriter out) throws IOException, InterruptedException {
        return new CarsScenario(settings, out).run();
    }

    private Outcome run() throws IOException, InterruptedException {
        CarEventElement.register();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        String runId = HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
        SecureRandom random = new SecureRandom();
        for (Party p : Party.values()) {
            identities.put(p, IdentityKey.generate(random));
        }
        if (settings.broker().isPresent()) {
            console.plain("xp2p smart-car demo: " + settings.duration().toSeconds() + " s, through the XMPP broker at "
                    + settings.broker().get() + " (direct links where possible) + DHT, everything on this machine");
            console.plain("direct links on 127.0.0.1: toyota, ford, owner, monitor; broker only: security");
        } else {
            console.plain("xp2p smart-car demo: " + settings.duration().toSeconds() + " s, serverless (mDNS + DHT), "
                    + "everything on 127.0.0.1");
            console.plain("on the cars' LAN: toyota, ford, owner, monitor; elsewhere, reached through the DHT: security");
        }
        TrafficMonitor monitor;
        try (DemoDht dht = DemoDht.start(loopback, settings.dhtBystanders())) {
            List<DhtNode> nodes = dht.join(List.copyOf(identities.values()));
            for (Party p : Party.values()) {
                dhtNodes.put(p, nodes.get(p.ordinal()));
                publicRecords.put(p, new PublicRecords(nodes.get(p.ordinal())));
            }
            console.note("dht", dht.size() + " UDP nodes joined (" + settings.dhtBystanders() + " bystanders + one per party)");
            try {
                startDevices(runId, loopback);
                awaitDiscovery();
                printDevices();
                monitor = new TrafficMonitor(publicRecords.get(Party.MONITOR));
                drive(monitor);
                awaitDeliveries();
                printLinks();
            } finally {
                closeAll();
            }
        }
        console.note("all", "devices and DHT nodes closed");
        return conclude(monitor);
    }

    /** Starts the devices side by side: each spends most of its start-up probing mDNS or logging in. */
    private void startDevices(String runId, InetAddress loopback) throws IOException, InterruptedException {
        Optional<BrokerDevice.Access> access = settings.broker()
                .map(b -> new BrokerDevice.Access(settings.brokerDomain(), b, runId));
        Map<Party, CompletableFuture<DemoDevice>> starting = new EnumMap<>(Party.class);
        for (Party p : Party.values()) {
            EventInbox inbox = new EventInbox(p, console, ledger);
            inboxes.put(p, inbox);
            CompletableFuture<DemoDevice> f = new CompletableFuture<>();
            Thread starter = new Thread(() -> {
                try {
                    f.complete(access.isPresent() ? startOnBroker(p, access.get(), loopback, inbox)
                            : startServerless(p, runId, loopback, inbox));
                } catch (Exception e) {
                    f.completeExceptionally(e);
                }
            }, "demo-start-" + p.user());
            starter.setDaemon(true);
            starter.start();
            starting.put(p, f);
        }
        IOException failure = null;
        for (Map.Entry<Party, CompletableFuture<DemoDevice>> e : starting.entrySet()) {
            try {
                devices.put(e.getKey(), e.getValue().get());
            } catch (ExecutionException x) {
                failure = failure != null ? failure : new IOException("the " + e.getKey().user()
                        + " device did not start: " + x.getCause().getMessage(), x.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (access.isPresent()) {
            subscribeOnBroker();
        }
    }

    private DemoDevice startServerless(Party p, String runId, InetAddress loopback, EventInbox inbox)
            throws IOException {
        List<byte[]> carKeys = CARS.stream().map(c -> identities.get(c).publicKey()).toList();
        // cars talk to the owner and the security company only; everyone else may talk to the cars
        List<byte[]> allowed = p.role == Party.Role.CAR ? List.of(identities.get(Party.OWNER).publicKey(),
                identities.get(Party.SECURITY).publicKey()) : carKeys;
        // the security company and the cars know each other by identity key and meet in the DHT
        List<byte[]> contacts = p.role == Party.Role.CAR ? List.of(identities.get(Party.SECURITY).publicKey())
                : p == Party.SECURITY ? carKeys : List.of();
        return ServerlessDevice.start(p, runId, loopback, identities.get(p), allowed, dhtNodes.get(p), contacts,
                inbox);
    }

    private DemoDevice startOnBroker(Party p, BrokerDevice.Access access, InetAddress loopback, EventInbox inbox)
            throws Exception {
        // cars accept subscriptions from the owner and the security company only; the others want the cars
        List<Party> allowed = p.role == Party.Role.CAR ? List.of(Party.OWNER, Party.SECURITY) : CARS;
        Set<BareJid> jids = new java.util.HashSet<>();
        for (Party q : allowed) {
            jids.add(JidCreate.bareFrom(access.user(q) + "@" + access.domain()));
        }
        return BrokerDevice.start(p, access, loopback, jids, inbox);
    }

    /** Everyone asks the cars for their presence and the cars ask the readers; the monitor is turned down. */
    private void subscribeOnBroker() throws IOException, InterruptedException {
        try {
            for (Party car : CARS) {
                BrokerDevice c = (BrokerDevice) devices.get(car);
                for (Party p : List.of(Party.OWNER, Party.SECURITY, Party.MONITOR)) {
                    BrokerDevice other = (BrokerDevice) devices.get(p);
                    other.subscribe(c);
                    if (p.authorisedForEvents()) {
                        c.subscribe(other);
                    }
                }
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("a presence subscription could not be sent: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until the devices on the LAN see each other on mDNS, and the cars and the
     * security company hold each other's signed DHT records: links are accepted only from
     * peers seen at the address they stream from.
     */
    private void awaitDiscovery() throws InterruptedException {
        long deadline = System.nanoTime() + DISCOVERY_TIMEOUT.toNanos();
        for (DemoDevice d : devices.values()) {
            for (DemoDevice other : devices.values()) {
                if (other == d || !mustSee(d.party(), other.party())) {
                    continue;
                }
                while (!d.sees(other, identities.get(other.party()).publicKey())) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(d.party().user() + " did not find " + other.address()
                                + " " + where(d.party(), other.party()) + " within " + DISCOVERY_TIMEOUT.toSeconds()
                                + " s");
                    }
                    Thread.sleep(50);
                }
            }
        }
        if (settings.broker().isPresent()) {
            console.note("broker", "the cars and their owner and security company see each other's presence "
                    + "(<p2p/> and <e2e/>)");
        } else {
            console.note("mdns", "the parties on the LAN see each other on 127.0.0.1");
            console.note("dht", "the cars and the security company found each other's signed presence records");
        }
    }

    private String where(Party a, Party b) {
        if (settings.broker().isPresent()) {
            return "in presence from the broker";
        }
        return a.onLan() && b.onLan() ? "on mDNS" : "in the DHT";
    }

    private boolean mustSee(Party a, Party b) {
        boolean carAndReader = (a.role == Party.Role.CAR && b.authorisedForEvents())
                || (b.role == Party.Role.CAR && a.authorisedForEvents());
        if (settings.broker().isPresent()) {
            return carAndReader; // presence flows only along approved subscriptions
        }
        return (a.onLan() && b.onLan()) || carAndReader;
    }

    private void printDevices() {
        console.plain("");
        console.plain(String.format(Locale.ROOT, "  %-9s %-9s %-30s %s", "party", "role", "address", "identity key"));
        for (DemoDevice d : devices.values()) {
            console.plain(String.format(Locale.ROOT, "  %-9s %-9s %-30s %s", d.party().user(),
                    d.party().role.name().toLowerCase(Locale.ROOT), d.address(),
                    HexFormat.of().formatHex(identities.get(d.party()).publicKey(), 0, 8) + "…"));
        }
        console.plain("");
    }

    private void drive(TrafficMonitor monitor) throws InterruptedException {
        long seed = settings.seed();
        Map<Party, CarSensors> sensors = new EnumMap<>(Party.class);
        sensors.put(Party.TOYOTA, new CarSensors(Party.TOYOTA.user(), Road.RING_3, seed));
        sensors.put(Party.FORD, new CarSensors(Party.FORD.user(), Road.E18, seed + 1));
        long ticks = settings.duration().toMillis() / settings.tick().toMillis();
        double tickSeconds = settings.tick().toMillis() / 1000.0;
        List<CompletableFuture<?>> sends = new ArrayList<>();
        long next = System.nanoTime();
        for (long t = 1; t <= ticks; t++) {
            next += settings.tick().toNanos();
            Instant now = Instant.now();
            for (Party car : CARS) {
                CarSensors s = sensors.get(car);
                for (CarEvent e : s.tick(now, tickSeconds)) {
                    sends.addAll(sendEvent(car, e));
                }
                if (t % 2 == 1) {
                    byte[] payload = s.sample(now).toXml().getBytes(StandardCharsets.UTF_8);
                    publicRecords.get(car).publish(TrafficMonitor.TOPIC, payload).whenComplete((r, x) -> {
                        if (x != null) {
                            console.note(car.user(), "could not publish its traffic record: " + x.getMessage());
                        }
                    });
                }
            }
            if (t == 2) {
                tryToEavesdrop();
            }
            if (t % 4 == 0) {
                for (Party car : CARS) {
                    monitor.read(car.user(), identities.get(car).publicKey());
                }
                console.note(Party.MONITOR.user(), "DHT traffic: " + monitor.averagesLine());
            }
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        for (CompletableFuture<?> f : sends) {
            try {
                f.get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // already reported by the send's own handler
            }
        }
    }

    private List<CompletableFuture<?>> sendEvent(Party car, CarEvent event) {
        Set<Party> readers = Set.of(Party.OWNER, Party.SECURITY);
        ledger.expect(event, readers.stream().map(Party::user).collect(Collectors.toSet()));
        console.note(car.user(), "event " + event.id() + ": " + event.describe());
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (Party reader : readers) {
            Message m = StanzaBuilder.buildMessage().to(jid(devices.get(reader).address())).ofType(Message.Type.normal)
                    .addExtension(new CarEventElement(event)).build();
            sends.add(devices.get(car).send(m).whenComplete((r, x) -> {
                if (x != null) {
                    String why = Reasons.brief(x.getCause() != null ? x.getCause() : x);
                    console.note(car.user(), "could not send " + event.id() + " to " + reader.user() + ": " + why);
                }
            }));
        }
        return sends;
    }

    /**
     * The monitor asks each car for its events as if it were authorised. The car must refuse:
     * its identity key is not on the car's allow-list, so the link is never secured.
     */
    private void tryToEavesdrop() throws InterruptedException {
        for (Party car : CARS) {
            Message ask = StanzaBuilder.buildMessage().to(jid(devices.get(car).address())).ofType(Message.Type.normal)
                    .setBody("send me your events").build();
            try {
                devices.get(Party.MONITOR).send(ask).get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                problems.add(car.user() + " accepted a message from the monitor, which it does not authorise");
                console.note(Party.MONITOR.user(), "-> " + car.user() + ": ACCEPTED (it should not be)");
            } catch (ExecutionException e) {
                String why = Reasons.brief(e.getCause() != null ? e.getCause() : e);
                refusals.put(car, why);
                console.note(Party.MONITOR.user(), "-> " + car.user() + ": REFUSED (" + why + ")");
            } catch (TimeoutException e) {
                problems.add("the monitor's request to " + car.user() + " got no answer within "
                        + SEND_TIMEOUT.toSeconds() + " s");
            }
        }
    }

    /** Closes the devices side by side: each says goodbye on mDNS and closes its links, which takes a moment. */
    private void closeAll() throws InterruptedException {
        List<Thread> closers = new ArrayList<>();
        for (DemoDevice d : devices.values()) {
            Thread t = new Thread(d::close, "demo-close-" + d.party().user());
            t.setDaemon(true);
            t.start();
            closers.add(t);
        }
        for (Thread t : closers) {
            t.join();
        }
        publicRecords.values().forEach(PublicRecords::close);
    }

    private void awaitDeliveries() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (!ledger.allArrived() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private void printLinks() {
        console.plain("");
        console.plain("  links at the end");
        for (DemoDevice d : devices.values()) {
            List<String> links = d.links();
            console.plain(String.format(Locale.ROOT, "  %-9s %s", d.party().user(),
                    links.isEmpty() ? "none" : String.join(", ", links)));
        }
    }

    private Outcome conclude(TrafficMonitor monitor) {
        DeliveryLedger.Verdict v = ledger.verdict();
        problems.addAll(v.problems());
        for (Party car : CARS) {
            if (!refusals.containsKey(car) && problems.stream().noneMatch(p -> p.startsWith(car.user() + " accepted"))) {
                problems.add(car.user() + " was never asked by the monitor");
            }
        }
        if (monitor.carsSeen() < CARS.size()) {
            problems.add("the monitor read the traffic records of " + monitor.carsSeen() + " of " + CARS.size()
                    + " cars from the DHT");
        }
        if (monitor.rejected() > 0) {
            problems.add(monitor.rejected() + " traffic records held no valid sample");
        }
        inboxes.forEach((p, inbox) -> {
            if (inbox.unexpected() > 0) {
                problems.add(p.user() + " received " + inbox.unexpected() + " messages without an event");
            }
        });
        console.plain("");
        console.plain("  summary");
        console.plain("  events sent by the cars: " + v.eventsSent() + " " + v.eventsByKind());
        for (Party p : Party.values()) {
            if (p.role == Party.Role.CAR) {
                continue;
            }
            console.plain(String.format(Locale.ROOT, "  %-9s received %3d events %s", p.user(), v.receivedBy(p.user()),
                    v.receivedByRecipientAndPath().getOrDefault(p.user(), Map.of())));
        }
        console.plain("  monitor refused by: " + refusals.keySet().stream().map(Party::user).toList());
        console.plain("  traffic from the DHT: " + monitor.averagesLine());
        if (problems.isEmpty()) {
            console.plain("  OK: every event reached exactly the owner and the security company, once each; "
                    + "nobody else got any");
        } else {
            problems.forEach(p -> console.plain("  PROBLEM: " + p));
        }
        return new Outcome(v, monitor.roads(), monitor.carsSeen(), Map.copyOf(refusals), List.copyOf(problems));
    }

    private static org.jxmpp.jid.Jid jid(String address) {
        try {
            return JidCreate.from(address);
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException("not a JID: " + address, e);
        }
    }
}
