package org.xp2p.bench.broker;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
import org.xp2p.e2e.crypto.KeyAlgorithms;
import org.xp2p.schemas.KeyType;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.testbed.TlsProsodyServer;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.broker.BrokerConfig;
import org.xp2p.xmpp.broker.PinnedCaTrust;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.device.Device;
import org.xp2p.xmpp.direct.DirectLinkConfig;
import org.xp2p.xmpp.peers.PeerDirectory;
import org.xp2p.xmpp.routing.Delivery;

/**
 * Direct links against the broker, in one run on loopback with real Prosody servers started
 * here: for each key type (ed25519, signed stanzas; x25519, no signature, acp for
 * integrity), three device pairs that publish only that type, with the same payload: one
 * pair with direct links (each device on its own loopback address), one on a broker that
 * requires STARTTLS (as devices do outside tests), one on a plaintext broker (a reference).
 * Measures confirmed messages per second (each one E2E encrypted and acknowledged by an
 * encrypted XEP-0184 receipt), iq round-trip time p50/p99 (encrypted ping and result), the
 * time from a contact's presence arriving until the first stanza over a new direct link is
 * confirmed, and the CPU time each confirmed message costs the devices and Prosody, by
 * thread. Prosody runs as in service (warnings-only log). Prints the tables with ratios and
 * writes {@code bench/results/broker-*.csv}.
 *
 * <p>Run: {@code bench/run broker [--quick] [--keys=ed25519,x25519]}
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

    /**
     * One key type's figures, all paths measured in the same run: direct links, the broker
     * over TLS (as devices run it) and the broker in plaintext (a test-only transport).
     */
    private record Figures(KeyType keys, Throughput direct, Throughput brokerTls, Throughput brokerPlain,
            long[] directRtt, long[] brokerTlsRtt, long[] brokerPlainRtt, long[] firstStanza) {
    }

    /**
     * A Prosody the devices log in to: with the CA to pin when it requires TLS (null: a
     * plaintext one), and its CPU time so far.
     */
    private record Broker(String address, int port, X509Certificate ca, Supplier<Duration> cpu) {
        BrokerConfig config(String user) {
            return ca == null
                    ? BrokerConfig.plaintextForTests("localhost", address, port, user, "pw-" + user, "bench")
                    : BrokerConfig.tls("localhost", address, port, user, "pw-" + user, "bench").withPinnedCa(ca);
        }

        void register(String user) throws Exception {
            XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain("localhost").setHost(address).setPort(port);
            if (ca == null) {
                b.setSecurityMode(SecurityMode.disabled);
            } else {
                b.setSecurityMode(SecurityMode.required).setCustomX509TrustManager(PinnedCaTrust.trusting(ca));
            }
            XMPPTCPConnection c = new XMPPTCPConnection(b.build());
            try {
                c.connect();
                AccountManager accounts = AccountManager.getInstance(c);
                accounts.sensitiveOperationOverInsecureConnection(ca == null);
                accounts.createAccount(Localpart.from(user), "pw-" + user);
            } finally {
                c.disconnect();
            }
        }
    }

    /**
     * Confirmed messages per second, and the CPU each confirmed message cost: this JVM (both
     * devices: E2E, XML, sockets) and Prosody, as the kernel counts their process time.
     */
    private record Throughput(double rate, double rateSd, double devicesCpuMicros, double prosodyCpuMicros,
            double sealsPerMessage, double opensPerMessage, double signaturesPerBatch,
            Map<String, Double> threadCpuMicros) {
        double totalCpuMicros() {
            return devicesCpuMicros + prosodyCpuMicros;
        }

        /** The mean of several runs, with the sample standard deviation of their rates. */
        static Throughput mean(List<Throughput> runs) {
            int n = runs.size();
            double rate = runs.stream().mapToDouble(Throughput::rate).average().orElseThrow();
            double variance = n < 2 ? 0 : runs.stream().mapToDouble(t -> (t.rate() - rate) * (t.rate() - rate)).sum()
                    / (n - 1);
            Map<String, Double> threads = new HashMap<>();
            runs.forEach(t -> t.threadCpuMicros().forEach((name, us) -> threads.merge(name, us / n, Double::sum)));
            return new Throughput(rate, Math.sqrt(variance), avg(runs, Throughput::devicesCpuMicros),
                    avg(runs, Throughput::prosodyCpuMicros), avg(runs, Throughput::sealsPerMessage),
                    avg(runs, Throughput::opensPerMessage), avg(runs, Throughput::signaturesPerBatch), threads);
        }

        private static double avg(List<Throughput> runs, java.util.function.ToDoubleFunction<Throughput> field) {
            return runs.stream().mapToDouble(field).average().orElseThrow();
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
        int runs = quick ? 3 : 5;
        int iqs = quick ? 300 : 2_000;
        int opens = quick ? 10 : 40;
        ProsodyServer plain = ProsodyServer.startOnLoopbackForBenchmarks();
        owned.add(plain);
        TlsProsodyServer tls = TlsProsodyServer.startOnLoopbackForBenchmarks();
        owned.add(tls);
        Broker plainBroker = new Broker(plain.address(), plain.port(), null, plain::cpuTime);
        Broker tlsBroker = new Broker(tls.address(), tls.port(), pem(tls.caCertificate()), tls::cpuTime);
        List<Figures> all = new ArrayList<>();
        for (KeyType keys : keyTypes) {
            all.add(measure(tlsBroker, plainBroker, keys, messages, runs, iqs, opens));
        }
        Figures base = all.get(0);
        ResultTable rate = new ResultTable("Confirmed E2E messages per second (" + PAYLOAD_CHARS + "-char body, window "
                + WINDOW + "; mean and standard deviation of " + runs + " interleaved runs of " + messages
                + " messages per path)", "msg/s", true);
        for (Figures f : all) {
            String k = f.keys().elementName();
            rate.add(k + " broker TLS", f.brokerTls().rate(), f.brokerTls().rateSd(), "Prosody on loopback, STARTTLS as devices "
                            + "require it, E2E both ends, " + k + cipherNote(f))
                    .add(k + " broker plain", f.brokerPlain().rate(), f.brokerPlain().rateSd(), "the same without TLS (a transport "
                            + "for tests only)")
                    .add(k + " direct", f.direct().rate(), f.direct().rateSd(), "XEP-0174 link 127.0.0.1 -> 127.0.0.2, E2E, "
                            + k + cipherNote(f));
        }
        String baseline = base.keys().elementName() + " broker TLS";
        rate.print(System.out, baseline);
        Path csv1 = rate.writeCsv("broker-throughput", baseline);

        ResultTable latency = new ResultTable("Encrypted iq round trip (" + iqs + " pings, one at a time) and time to a "
                + "first direct stanza", "us", false);
        for (Figures f : all) {
            String k = f.keys().elementName();
            latency.add(k + " broker TLS p50", pct(f.brokerTlsRtt(), 50), Double.NaN, "")
                    .add(k + " broker TLS p99", pct(f.brokerTlsRtt(), 99), Double.NaN, "")
                    .add(k + " broker plain p50", pct(f.brokerPlainRtt(), 50), Double.NaN, "")
                    .add(k + " broker plain p99", pct(f.brokerPlainRtt(), 99), Double.NaN, "")
                    .add(k + " direct p50", pct(f.directRtt(), 50), Double.NaN, "")
                    .add(k + " direct p99", pct(f.directRtt(), 99), Double.NaN, "")
                    .add(k + " presence->first direct p50", pct(f.firstStanza(), 50), Double.NaN,
                            "contact presence seen -> message confirmed over a newly opened link (" + opens + " runs)")
                    .add(k + " presence->first direct p99", pct(f.firstStanza(), 99), Double.NaN, "");
        }
        String latencyBase = base.keys().elementName() + " broker TLS p50";
        latency.print(System.out, latencyBase);
        Path csv2 = latency.writeCsv("broker-latency", latencyBase);

        ResultTable cpu = new ResultTable("CPU time per confirmed message (process time of this JVM, which runs the "
                + "devices, and of Prosody, mean of the runs above; " + Runtime.getRuntime().availableProcessors() + " cores)", "us", false);
        for (Figures f : all) {
            String k = f.keys().elementName();
            cpu.add(k + " direct devices", f.direct().devicesCpuMicros(), Double.NaN, e2eNote(f.direct()))
                    .add(k + " direct Prosody", f.direct().prosodyCpuMicros(), Double.NaN, "idle: keep-alives only");
            for (String path : List.of("TLS", "plain")) {
                Throughput t = path.equals("TLS") ? f.brokerTls() : f.brokerPlain();
                cpu.add(k + " broker " + path + " devices", t.devicesCpuMicros(), Double.NaN, e2eNote(t))
                        .add(k + " broker " + path + " Prosody", t.prosodyCpuMicros(), Double.NaN, "")
                        .add(k + " broker " + path + " total", t.totalCpuMicros(), Double.NaN, "");
            }
        }
        String cpuBase = base.keys().elementName() + " direct devices";
        cpu.print(System.out, cpuBase);
        for (Figures f : all) {
            String k = f.keys().elementName();
            System.out.println("  " + k + " direct, us per message by thread: " + f.direct().byThread());
            System.out.println("  " + k + " broker TLS, us per message by thread: " + f.brokerTls().byThread());
            System.out.println("  " + k + " broker plain, us per message by thread: " + f.brokerPlain().byThread());
        }
        Path csv3 = cpu.writeCsv("broker-cpu", cpuBase);
        System.out.println();
        for (Figures f : all) {
            for (String path : List.of("TLS", "plain")) {
                Throughput t = path.equals("TLS") ? f.brokerTls() : f.brokerPlain();
                long[] rtt = path.equals("TLS") ? f.brokerTlsRtt() : f.brokerPlainRtt();
                System.out.printf(Locale.ROOT, "Ratios (%s, broker %s): direct/broker throughput %.2fx; broker/direct "
                        + "RTT p50 %.2fx, p99 %.2fx; CPU per message broker/direct %.2fx (where both paths are CPU-bound"
                        + " on the same cores, the most the throughput ratio can be)%n", f.keys().elementName(), path,
                        f.direct().rate() / t.rate(), (double) pct(rtt, 50) / pct(f.directRtt(), 50),
                        (double) pct(rtt, 99) / pct(f.directRtt(), 99), t.totalCpuMicros() / f.direct().totalCpuMicros());
            }
        }
        System.out.println("CSV: " + csv1 + ", " + csv2 + ", " + csv3);
    }

    private static X509Certificate pem(Path file) throws Exception {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static String e2eNote(Throughput t) {
        return String.format(Locale.ROOT, "E2E per message: %.2f sealed, %.2f opened (1 + receipts)", t.sealsPerMessage(),
                t.opensPerMessage()) + (t.signaturesPerBatch() == 0 ? ""
                : String.format(Locale.ROOT, "; %.1f signatures per verified batch", t.signaturesPerBatch()));
    }

    private static String cipherNote(Figures f) {
        return f.keys() == KeyType.X25519 ? " (no signature; acp AEAD for integrity)" : " (signed by " + KeyAlgorithms.ed25519Signing() + "; acp)";
    }

    /**
     * Three device pairs that publish only {@code keys}: one with direct links (logged in over
     * TLS, as devices run), one on the TLS broker only, one on the plaintext broker only.
     */
    private Figures measure(Broker tls, Broker plain, KeyType keys, int messages, int runsPerPath, int iqs, int opens)
            throws Exception {
        String k = keys.elementName();
        for (String u : List.of("da", "db", "ta", "tb")) {
            tls.register(u + k);
        }
        for (String u : List.of("ba", "bb")) {
            plain.register(u + k);
        }
        PresenceClock clock = new PresenceClock();
        Device da = device(tls, "da" + k, "127.0.0.1", "db" + k, keys, clock);
        Device db = device(tls, "db" + k, "127.0.0.2", "da" + k, keys, null);
        Device ta = device(tls, "ta" + k, null, "tb" + k, keys, null);
        Device tb = device(tls, "tb" + k, null, "ta" + k, keys, null);
        Device ba = device(plain, "ba" + k, null, "bb" + k, keys, null);
        Device bb = device(plain, "bb" + k, null, "ba" + k, keys, null);
        da.subscribe(db.jid().asBareJid());
        ta.subscribe(tb.jid().asBareJid());
        ba.subscribe(bb.jid().asBareJid());
        await(() -> knows(da, db) && knows(db, da) && knows(ta, tb) && knows(tb, ta) && knows(ba, bb) && knows(bb, ba));

        String payload = "x".repeat(PAYLOAD_CHARS);
        List<Route> routes = List.of(new Route(da, db, tls, DeliveryPath.DIRECT_LINK), new Route(ta, tb, tls,
                DeliveryPath.BROKER), new Route(ba, bb, plain, DeliveryPath.BROKER));
        warmUp(k, routes, messages / 4, payload);
        // Runs interleaved, so that a slow spell of the machine falls on every path alike.
        List<List<Throughput>> runs = new ArrayList<>();
        routes.forEach(r -> runs.add(new ArrayList<>()));
        for (int run = 0; run < runsPerPath; run++) {
            for (int i = 0; i < routes.size(); i++) {
                runs.get(i).add(throughput(routes.get(i), messages, payload));
            }
        }
        List<Throughput> rates = runs.stream().map(Throughput::mean).toList();
        List<long[]> rtts = new ArrayList<>();
        for (Route r : routes) {
            rtt(r.from(), r.to(), iqs / 5, r.expected());
            rtts.add(rtt(r.from(), r.to(), iqs, r.expected()));
        }
        long[] firstStanza = presenceToFirstDirectStanza(da, db, clock, opens, payload);
        for (Device d : List.of(da, db, ta, tb, ba, bb)) {
            d.close(); // the next key type runs alone
        }
        return new Figures(keys, rates.get(0), rates.get(1), rates.get(2), rtts.get(0), rtts.get(1), rtts.get(2),
                firstStanza);
    }

    /** Messages from one device to another over one path, with the broker whose CPU that path may cost. */
    private record Route(Device from, Device to, Broker broker, DeliveryPath expected) {
    }

    /**
     * Sends over both paths, unmeasured, until the JIT compilers are done: until their threads
     * spend under {@value #WARM_JIT_SHARE} of the process's CPU in a round (at most
     * {@value #WARM_ROUNDS} rounds). A fixed warm-up left C2 compiling during the measured
     * run, a third of the CPU per message and more on the path measured second.
     */
    private static void warmUp(String keys, List<Route> routes, int perRound, String payload) throws Exception {
        double jitShare = 1;
        int round = 0;
        while (round < WARM_ROUNDS && jitShare >= WARM_JIT_SHARE) {
            round++;
            Map<String, TaskCpu.Task> before = TaskCpu.snapshot();
            for (Route r : routes) {
                throughput(r, perRound, payload);
            }
            Map<String, Double> spent = TaskCpu.perItemByName(before, TaskCpu.snapshot(), 1);
            double jit = spent.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                    .mapToDouble(Map.Entry::getValue).sum();
            jitShare = jit / spent.values().stream().mapToDouble(Double::doubleValue).sum();
        }
        System.out.printf(Locale.ROOT, "warm-up %s: %d rounds of %d messages per path; JIT compilers %.1f %% of the "
                + "CPU in the last%n", keys, round, perRound, 100 * jitShare);
    }

    /** Confirmed messages per second from {@code from} to {@code to} over the expected path, and their CPU cost. */
    private static Throughput throughput(Route path, int n, String payload) throws Exception {
        Device from = path.from();
        Device to = path.to();
        DeliveryPath expected = path.expected();
        Semaphore window = new Semaphore(WINDOW);
        List<CompletableFuture<Delivery>> all = new ArrayList<>(n);
        long seals0 = seals(from, to);
        long opens0 = opens(from, to);
        long batches0 = sum(from, to, E2eStats.Snapshot::signatureBatches);
        long batched0 = sum(from, to, E2eStats.Snapshot::batchedSignatures);
        Map<String, TaskCpu.Task> tasks0 = TaskCpu.snapshot();
        long jvmCpu0 = PROCESS.getProcessCpuTime();
        long prosodyCpu0 = path.broker().cpu().get().toNanos();
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
        double prosodyCpuMicros = (path.broker().cpu().get().toNanos() - prosodyCpu0) / 1e3 / n;
        if (off > 0) {
            System.out.println("note: " + off + " of " + n + " messages did not take " + expected);
        }
        long batches = sum(from, to, E2eStats.Snapshot::signatureBatches) - batches0;
        long batched = sum(from, to, E2eStats.Snapshot::batchedSignatures) - batched0;
        return new Throughput(n / seconds, 0, jvmCpuMicros, prosodyCpuMicros, (seals(from, to) - seals0) / (double) n,
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

    private Device device(Broker broker, String user, String address, String contact, KeyType keys,
            PresenceClock clock) throws Exception {
        BareJid peer = JidCreate.bareFrom(contact + "@localhost");
        Device.Builder b = Device.builder(broker.config(user))
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
