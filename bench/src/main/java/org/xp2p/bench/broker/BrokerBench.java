package org.xp2p.bench.broker;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;
import org.xp2p.bench.ResultTable;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.e2e.E2eStats;
import org.xp2p.schemas.KeyType;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.broker.BrokerConfig;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.device.Device;
import org.xp2p.xmpp.direct.DirectLinkConfig;
import org.xp2p.xmpp.peers.PeerDirectory;
import org.xp2p.xmpp.routing.Delivery;

/**
 * Direct links against the broker, in one run on loopback with a real Prosody started
 * here: for each key type (ed25519, signed stanzas; x25519, no signature, acp for
 * integrity), two device pairs that publish only that type, with the same payload, one pair
 * with direct links (each device on its own loopback address), one broker-only. Measures
 * confirmed messages per second (each one E2E encrypted and acknowledged by an encrypted
 * XEP-0184 receipt), iq round-trip time p50/p99 (encrypted ping and result), and the time
 * from a contact's presence arriving until the first stanza over a new direct link is
 * confirmed, and the CPU time each confirmed message costs the devices and Prosody. Prosody
 * runs as in service (warnings-only log), without TLS on either side of the comparison.
 * Prints the tables with ratios and writes {@code bench/results/broker-*.csv}.
 *
 * <p>Run: {@code java -cp <bench classpath> org.xp2p.bench.broker.BrokerBench [--quick]}
 */
public final class BrokerBench {
    private static final int PAYLOAD_CHARS = 256;
    private static final int WINDOW = 256;
    private static final int WARM_ROUNDS = 40;
    private static final double WARM_JIT_SHARE = 0.02;
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** ed25519: every stanza signed and verified; x25519: no signature, the acp AEAD carries integrity. */
    private static final List<KeyType> KEY_TYPES = List.of(KeyType.ED25519, KeyType.X25519);

    private final boolean quick;
    private final List<KeyType> keyTypes;
    private final List<AutoCloseable> owned = new ArrayList<>();

    private BrokerBench(boolean quick, List<KeyType> keyTypes) {
        this.quick = quick;
        this.keyTypes = keyTypes;
    }

    /** Arguments: {@code [--quick] [--keys=ed25519,x25519]} (default: both key types, the full run). */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        boolean quick = false;
        List<KeyType> keys = KEY_TYPES;
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.startsWith("--keys=")) {
                keys = Arrays.stream(a.substring(7).split(",")).map(BrokerBench::keyType).toList();
            } else {
                throw new IllegalArgumentException("unknown argument " + a + "; use [--quick] [--keys=ed25519,x25519]");
            }
        }
        new BrokerBench(quick, keys).run();
    }

    private static KeyType keyType(String name) {
        for (KeyType k : KEY_TYPES) {
            if (k.elementName().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("--keys takes ed25519 and/or x25519, not " + name);
    }

    private void run() throws Exception {
        try {
            measure();
        } finally {
            for (int i = owned.size() - 1; i >= 0; i--) {
                try {
                    owned.get(i).close();
                } catch (Exception e) {
                    // keep closing
                }
            }
        }
    }

    /** One key type's figures, both paths measured in the same run. */
    private record Figures(KeyType keys, Throughput direct, Throughput broker, long[] directRtt, long[] brokerRtt,
            long[] firstStanza) {
        double directRate() {
            return direct.rate();
        }

        double brokerRate() {
            return broker.rate();
        }
    }

    /**
     * Confirmed messages per second, and the CPU each confirmed message cost: this JVM (both
     * devices: E2E, XML, sockets) and Prosody, as the kernel counts their process time.
     */
    private record Throughput(double rate, double devicesCpuMicros, double prosodyCpuMicros, double sealsPerMessage,
            double opensPerMessage, double signaturesPerBatch, Map<String, Double> threadCpuMicros) {
        double totalCpuMicros() {
            return devicesCpuMicros + prosodyCpuMicros;
        }

        /**
         * The devices' CPU per message by thread (numbers in names folded), busiest first; then
         * the time of threads that ended meanwhile.
         */
        String byThread() {
            StringBuilder out = new StringBuilder();
            double named = 0;
            for (Map.Entry<String, Double> e : threadCpuMicros.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList()) {
                named += e.getValue();
                if (e.getValue() >= 0.5) {
                    out.append(String.format(Locale.ROOT, "%s %.1f, ", e.getKey(), e.getValue()));
                }
            }
            return out.append(String.format(Locale.ROOT, "threads that ended %.1f",
                    devicesCpuMicros - named)).toString();
        }
    }

    private void measure() throws Exception {
        int messages = quick ? 3_000 : 20_000;
        int iqs = quick ? 300 : 2_000;
        int opens = quick ? 10 : 40;
        ProsodyServer prosody = ProsodyServer.startOnLoopbackForBenchmarks();
        owned.add(prosody);
        List<Figures> all = new ArrayList<>();
        for (KeyType keys : keyTypes) {
            all.add(measure(prosody, keys, messages, iqs, opens));
        }
        Figures base = all.get(0);
        ResultTable rate = new ResultTable("Confirmed E2E messages per second (" + PAYLOAD_CHARS + "-char body, window "
                + WINDOW + ", " + messages + " messages)", "msg/s", true);
        for (Figures f : all) {
            String k = f.keys().elementName();
            rate.add(k + " broker", f.brokerRate(), Double.NaN, "Prosody on loopback, E2E both ends, " + k + cipherNote(f));
            rate.add(k + " direct", f.directRate(), Double.NaN, "XEP-0174 link 127.0.0.1 -> 127.0.0.2, E2E, " + k
                    + cipherNote(f));
        }
        String baseline = base.keys().elementName() + " broker";
        rate.print(System.out, baseline);
        Path csv1 = rate.writeCsv("broker-throughput", baseline);

        ResultTable latency = new ResultTable("Encrypted iq round trip (" + iqs + " pings, one at a time) and time to a "
                + "first direct stanza", "us", false);
        for (Figures f : all) {
            String k = f.keys().elementName();
            latency.add(k + " broker p50", pct(f.brokerRtt(), 50), Double.NaN, "")
                    .add(k + " broker p99", pct(f.brokerRtt(), 99), Double.NaN, "")
                    .add(k + " direct p50", pct(f.directRtt(), 50), Double.NaN, "")
                    .add(k + " direct p99", pct(f.directRtt(), 99), Double.NaN, "")
                    .add(k + " presence->first direct p50", pct(f.firstStanza(), 50), Double.NaN,
                            "contact presence seen -> message confirmed over a newly opened link (" + opens + " runs)")
                    .add(k + " presence->first direct p99", pct(f.firstStanza(), 99), Double.NaN, "");
        }
        String latencyBase = base.keys().elementName() + " broker p50";
        latency.print(System.out, latencyBase);
        Path csv2 = latency.writeCsv("broker-latency", latencyBase);

        ResultTable cpu = new ResultTable("CPU time per confirmed message (process time of this JVM, which runs both "
                + "devices, and of Prosody; " + Runtime.getRuntime().availableProcessors() + " cores)", "us", false);
        for (Figures f : all) {
            String k = f.keys().elementName();
            cpu.add(k + " direct devices", f.direct().devicesCpuMicros(), Double.NaN, e2eNote(f.direct()))
                    .add(k + " direct Prosody", f.direct().prosodyCpuMicros(), Double.NaN, "idle: keep-alives only")
                    .add(k + " broker devices", f.broker().devicesCpuMicros(), Double.NaN, e2eNote(f.broker()))
                    .add(k + " broker Prosody", f.broker().prosodyCpuMicros(), Double.NaN, "")
                    .add(k + " broker total", f.broker().totalCpuMicros(), Double.NaN, "");
        }
        String cpuBase = base.keys().elementName() + " direct devices";
        cpu.print(System.out, cpuBase);
        for (Figures f : all) {
            System.out.println("  " + f.keys().elementName() + " direct, us per message by thread: " + f.direct().byThread());
            System.out.println("  " + f.keys().elementName() + " broker, us per message by thread: " + f.broker().byThread());
        }
        Path csv3 = cpu.writeCsv("broker-cpu", cpuBase);
        System.out.println();
        for (Figures f : all) {
            System.out.printf(Locale.ROOT, "Ratios (%s): direct/broker throughput %.2fx; broker/direct RTT p50 %.2fx, "
                    + "p99 %.2fx; CPU per message broker/direct %.2fx (where both paths are CPU-bound on the same "
                    + "cores, the most the throughput ratio can be)%n", f.keys().elementName(),
                    f.directRate() / f.brokerRate(),
                    (double) pct(f.brokerRtt(), 50) / pct(f.directRtt(), 50),
                    (double) pct(f.brokerRtt(), 99) / pct(f.directRtt(), 99),
                    f.broker().totalCpuMicros() / f.direct().totalCpuMicros());
        }
        System.out.println("CSV: " + csv1 + ", " + csv2 + ", " + csv3);
    }

    private static String e2eNote(Throughput t) {
        return String.format(Locale.ROOT, "E2E per message: %.2f sealed, %.2f opened (1 + receipts)", t.sealsPerMessage(),
                t.opensPerMessage()) + (t.signaturesPerBatch() == 0 ? ""
                : String.format(Locale.ROOT, "; %.1f signatures per verified batch", t.signaturesPerBatch()));
    }

    private static String cipherNote(Figures f) {
        return f.keys() == KeyType.X25519 ? " (no signature; acp AEAD for integrity)" : " (signed; acp)";
    }

    /** Two device pairs that publish only {@code keys}: one with direct links, one broker-only. */
    private Figures measure(ProsodyServer prosody, KeyType keys, int messages, int iqs, int opens) throws Exception {
        String k = keys.elementName();
        for (String u : List.of("da", "db", "ba", "bb")) {
            register(prosody, u + k);
        }
        PresenceClock clock = new PresenceClock();
        Device da = device(prosody, "da" + k, "127.0.0.1", "db" + k, keys, clock);
        Device db = device(prosody, "db" + k, "127.0.0.2", "da" + k, keys, null);
        Device ba = device(prosody, "ba" + k, null, "bb" + k, keys, null);
        Device bb = device(prosody, "bb" + k, null, "ba" + k, keys, null);
        da.subscribe(db.jid().asBareJid());
        ba.subscribe(bb.jid().asBareJid());
        await(() -> knows(da, db) && knows(db, da) && knows(ba, bb) && knows(bb, ba));

        String payload = "x".repeat(PAYLOAD_CHARS);
        warmUp(prosody, k, da, db, ba, bb, messages / 4, payload);
        Throughput direct = throughput(prosody, da, db, messages, payload, DeliveryPath.DIRECT_LINK);
        Throughput broker = throughput(prosody, ba, bb, messages, payload, DeliveryPath.BROKER);
        rtt(da, db, iqs / 5, DeliveryPath.DIRECT_LINK);
        rtt(ba, bb, iqs / 5, DeliveryPath.BROKER);
        long[] directRtt = rtt(da, db, iqs, DeliveryPath.DIRECT_LINK);
        long[] brokerRtt = rtt(ba, bb, iqs, DeliveryPath.BROKER);
        long[] firstStanza = presenceToFirstDirectStanza(da, db, clock, opens, payload);
        for (Device d : List.of(da, db, ba, bb)) {
            d.close(); // the next key type runs alone
        }
        return new Figures(keys, direct, broker, directRtt, brokerRtt, firstStanza);
    }

    /**
     * Sends over both paths, unmeasured, until the JIT compilers are done: until their threads
     * spend under {@value #WARM_JIT_SHARE} of the process's CPU in a round (at most
     * {@value #WARM_ROUNDS} rounds). A fixed warm-up left C2 compiling during the measured
     * run, a third of the CPU per message and more on the path measured second.
     */
    private static void warmUp(ProsodyServer prosody, String keys, Device da, Device db, Device ba, Device bb, int perRound,
            String payload) throws Exception {
        double jitShare = 1;
        int round = 0;
        while (round < WARM_ROUNDS && jitShare >= WARM_JIT_SHARE) {
            round++;
            Map<String, TaskCpu.Task> before = TaskCpu.snapshot();
            throughput(prosody, da, db, perRound, payload, DeliveryPath.DIRECT_LINK);
            throughput(prosody, ba, bb, perRound, payload, DeliveryPath.BROKER);
            Map<String, Double> spent = TaskCpu.perItemByName(before, TaskCpu.snapshot(), 1);
            double jit = spent.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                    .mapToDouble(Map.Entry::getValue).sum();
            jitShare = jit / spent.values().stream().mapToDouble(Double::doubleValue).sum();
        }
        System.out.printf(Locale.ROOT, "warm-up %s: %d rounds of %d messages per path; JIT compilers %.1f %% of the "
                + "CPU in the last%n", keys, round,
                perRound, 100 * jitShare);
    }

    /** Confirmed messages per second from {@code from} to {@code to} over the expected path, and their CPU cost. */
    private static Throughput throughput(ProsodyServer prosody, Device from, Device to, int n, String payload,
            DeliveryPath expected) throws Exception {
        Semaphore window = new Semaphore(WINDOW);
        List<CompletableFuture<Delivery>> all = new ArrayList<>(n);
        long seals0 = seals(from, to);
        long opens0 = opens(from, to);
        long batches0 = sum(from, to, E2eStats.Snapshot::signatureBatches);
        long batched0 = sum(from, to, E2eStats.Snapshot::batchedSignatures);
        Map<String, TaskCpu.Task> tasks0 = TaskCpu.snapshot();
        long jvmCpu0 = PROCESS.getProcessCpuTime();
        long prosodyCpu0 = prosody.cpuTime().toNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            Message m = StanzaBuilder.buildMessage().to(to.jid()).setBody(payload).build();
            CompletableFuture<Delivery> f = from.send(m);
            f.whenComplete((v, e) -> window.release());
            all.add(f);
        }
        int off = 0;
        for (CompletableFuture<Delivery> f : all) {
            if (f.get(300, TimeUnit.SECONDS).path() != expected) {
                off++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double jvmCpuMicros = (PROCESS.getProcessCpuTime() - jvmCpu0) / 1e3 / n;
        Map<String, Double> byThread = TaskCpu.perItemByName(tasks0, TaskCpu.snapshot(), n);
        double prosodyCpuMicros = (prosody.cpuTime().toNanos() - prosodyCpu0) / 1e3 / n;
        if (off > 0) {
            System.out.println("note: " + off + " of " + n + " messages did not take " + expected);
        }
        long batches = sum(from, to, E2eStats.Snapshot::signatureBatches) - batches0;
        long batched = sum(from, to, E2eStats.Snapshot::batchedSignatures) - batched0;
        return new Throughput(n / seconds, jvmCpuMicros, prosodyCpuMicros, (seals(from, to) - seals0) / (double) n,
                (opens(from, to) - opens0) / (double) n, batches == 0 ? 0 : batched / (double) batches, byThread);
    }

    private static long sum(Device a, Device b, java.util.function.ToLongFunction<E2eStats.Snapshot> counter) {
        return counter.applyAsLong(a.e2e().stats().snapshot()) + counter.applyAsLong(b.e2e().stats().snapshot());
    }

    /** Stanzas both devices encrypted: each message once, plus the receipts and any retransmission. */
    private static long seals(Device a, Device b) {
        return sum(a, b, E2eStats.Snapshot::encrypted);
    }

    private static long opens(Device a, Device b) {
        return sum(a, b, E2eStats.Snapshot::decrypted);
    }

    private static long[] rtt(Device from, Device to, int n, DeliveryPath expected) throws Exception {
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            var r = from.request(new Ping(to.jid())).get(60, TimeUnit.SECONDS);
            micros[i] = (System.nanoTime() - t0) / 1000;
            if (r.iq().getType() != IQ.Type.result || r.path() != expected) {
                throw new IllegalStateException("ping " + i + ": " + r.iq().getType() + " over " + r.path());
            }
        }
        return micros;
    }

    /**
     * Closes the link, lets the contact re-announce itself (same endpoints, new presence),
     * and times presence arrival -> first message confirmed over the link opened for it.
     */
    private static long[] presenceToFirstDirectStanza(Device da, Device db, PresenceClock clock, int runs,
            String payload) throws Exception {
        long[] micros = new long[runs];
        for (int i = 0; i < runs; i++) {
            da.links().values().forEach(l -> l.close("benchmark"));
            await(() -> da.links().isEmpty() && db.links().isEmpty());
            clock.arm(db.jid().toString());
            db.setExternalEndpoint(db.endpoints().external()); // re-publish: a fresh presence
            long seen = clock.await();
            Delivery d = da.send(StanzaBuilder.buildMessage().to(db.jid()).setBody(payload).build())
                    .get(60, TimeUnit.SECONDS);
            long done = System.nanoTime();
            if (d.path() != DeliveryPath.DIRECT_LINK) {
                throw new IllegalStateException("first stanza took " + d.path());
            }
            micros[i] = (done - seen) / 1000;
        }
        return micros;
    }

    /** Notes when a watched contact's presence reaches the directory. */
    private static final class PresenceClock implements PeerDirectory.Listener {
        private volatile String watched;
        private final LinkedBlockingQueue<Long> seen = new LinkedBlockingQueue<>();

        void arm(String jid) {
            seen.clear();
            watched = jid;
        }

        long await() throws InterruptedException {
            Long t = seen.poll(30, TimeUnit.SECONDS);
            if (t == null) {
                throw new IllegalStateException("no presence from " + watched);
            }
            watched = null;
            return t;
        }

        @Override
        public void peerChanged(PeerInfo merged) {
            if (merged.jid().equals(watched)) {
                seen.add(System.nanoTime());
            }
        }

        @Override
        public void peerRemoved(String jid) {
        }
    }

    private Device device(ProsodyServer prosody, String user, String address, String contact, KeyType keys,
            PresenceClock clock) throws Exception {
        BareJid peer = JidCreate.bareFrom(contact + "@localhost");
        Device.Builder b = Device.builder(BrokerConfig.plaintextForTests("localhost", prosody.address(), prosody.port(),
                        user, "pw-" + user, "bench"))
                .subscriptions(SubscriptionPolicy.allowList(Set.of(peer)))
                .keyTypes(List.of(keys))
                .e2ePolicy(Device.defaultPolicy().withPreferredKeyTypes(List.of(keys)))
                .handler(new StanzaHandler() {
                    @Override
                    public void onMessage(Message message, Arrival arrival) {
                    }

                    @Override
                    public IQ onIqRequest(IQ request, Arrival arrival) {
                        return IQ.createResultIQ(request);
                    }
                });
        if (address != null) {
            b.directLinks(DirectLinkConfig.on(InetAddress.getByName(address)));
        }
        Device d = b.start();
        owned.add(d);
        if (clock != null) {
            d.directory().addListener(clock);
        }
        return d;
    }

    private static boolean knows(Device who, Device of) {
        return who.peer(of.jid().toString()).flatMap(PeerInfo::e2eKeys).isPresent();
    }

    private static void register(ProsodyServer prosody, String user) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("localhost").setHost(prosody.address()).setPort(prosody.port())
                .setSecurityMode(SecurityMode.disabled).build());
        try {
            c.connect();
            AccountManager accounts = AccountManager.getInstance(c);
            accounts.sensitiveOperationOverInsecureConnection(true);
            accounts.createAccount(Localpart.from(user), "pw-" + user);
        } finally {
            c.disconnect();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("setup did not complete within 60 s");
            }
            Thread.sleep(20);
        }
    }

    private static long pct(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
