package org.xp2p.bench.linklocal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xp2p.bench.ResultTable;
import org.xp2p.e2e.crypto.KeyAlgorithms;
import org.xp2p.testbed.AvahiDaemon;
import org.xp2p.testbed.ChildJvm;
import org.xp2p.testbed.Command;
import org.xp2p.testbed.NetNs;

/**
 * The link-local benchmark, on three network namespaces joined by a bridge in a fourth
 * (all created and deleted here; no packet leaves them):
 * <ul>
 * <li>discovery latency: from our {@code advertise()} call in namespace A until our browser
 * in B holds a resolved PeerInfo (address, then TXT), against avahi-browse in C resolving
 * the very same announcement;
 * <li>messages per second and round-trip time (p50/p99) over one link-local stream from A
 * to B, plain and end-to-end secured (ed25519, every stanza signed), against raw TCP lines
 * of a plain stanza's size over the same veths.
 * </ul>
 * Needs root. Prints the tables and writes {@code bench/results/linklocal-*.csv}.
 *
 * <p>Run: {@code java -cp <bench classpath> org.xp2p.bench.linklocal.LinkLocalBench [--quick]}
 */
public final class LinkLocalBench {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String NET = "10.73.0.";

    private final List<NetNs> namespaces = new ArrayList<>();
    private final boolean quick;

    private LinkLocalBench(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("LinkLocalBench needs root: it creates network namespaces");
            System.exit(2);
        }
        new LinkLocalBench(args.length > 0 && args[0].equals("--quick")).run();
    }

    private NetNs ns(String name) {
        NetNs ns = NetNs.create(name);
        namespaces.add(ns);
        return ns;
    }

    /** hub namespace with a bridge; one veth per host, host side addressed NET.n. */
    private void wire(NetNs hubNs, NetNs hostNs, String ifName, int n) {
        String hub = hubNs.name();
        String host = hostNs.name();
        String hubSide = "h" + ifName;
        Command.run("ip", "link", "add", ifName, "type", "veth", "peer", "name", hubSide);
        Command.run("ip", "link", "set", ifName, "netns", host);
        Command.run("ip", "link", "set", hubSide, "netns", hub);
        Command.run("ip", "-n", hub, "link", "set", hubSide, "master", "br0");
        Command.run("ip", "-n", hub, "link", "set", hubSide, "up");
        Command.run("ip", "-n", host, "addr", "add", NET + n + "/24", "dev", ifName);
        Command.run("ip", "-n", host, "link", "set", ifName, "up");
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("xp2p-linklocal-bench");
        ChildJvm a = null;
        ChildJvm b = null;
        AvahiDaemon avahi = null;
        Process browse = null;
        try {
            NetNs hub = ns("hub");
            hub.exec("ip", "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
            hub.exec("ip", "link", "set", "br0", "up");
            NetNs nsA = ns("a");
            NetNs nsB = ns("b");
            NetNs nsC = ns("c");
            String pid = Long.toString(ProcessHandle.current().pid() % 100000);
            wire(hub, nsA, "la" + pid, 1);
            wire(hub, nsB, "lb" + pid, 2);
            wire(hub, nsC, "lc" + pid, 3);

            avahi = AvahiDaemon.start(nsC, "lc" + pid, dir.resolve("avahi"));
            Map<String, Long> avahiSeen = new ConcurrentHashMap<>();
            browse = new ProcessBuilder("ip", "netns", "exec", nsC.name(), "env",
                    "DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + dir.resolve("avahi").resolve("dbus.sock"),
                    "avahi-browse", "-rp", "_presence._tcp").redirectErrorStream(true).start();
            Process browser = browse;
            Thread t = new Thread(() -> readAvahi(browser, avahiSeen), "avahi-browse-reader");
            t.setDaemon(true);
            t.start();

            a = ChildJvm.start("node-a", nsA, LinkLocalBenchNode.class.getName(), List.of(),
                    List.of(), dir.resolve("a.log"));
            b = ChildJvm.start("node-b", nsB, LinkLocalBenchNode.class.getName(), List.of(),
                    List.of(), dir.resolve("b.log"));
            b.send("browse " + NET + "2 obs");
            b.awaitPrefix("BROWSING", BOUND);

            int runs = quick ? 3 : 8;
            ResultTable discovery = discovery(a, b, avahiSeen, runs);

            a.send("mdns-close");
            a.awaitPrefix("MDNS_CLOSED", BOUND);
            b.send("mdns-close");
            b.awaitPrefix("MDNS_CLOSED", BOUND);
            ResultTable[] messaging = messaging(a, b, quick ? 500 : 3000, quick ? 5000 : 30000);

            System.out.println();
            System.out.println("Link-local benchmark, " + runs + " announcements; namespaces on one host, veths into a bridge");
            discovery.print(System.out, "avahi-browse resolved");
            messaging[0].print(System.out, "raw TCP p50");
            messaging[1].print(System.out, "raw TCP lines");
            System.out.println("CSV: " + discovery.writeCsv("linklocal-discovery", "avahi-browse resolved"));
            System.out.println("CSV: " + messaging[0].writeCsv("linklocal-rtt", "raw TCP p50"));
            System.out.println("CSV: " + messaging[1].writeCsv("linklocal-throughput", "raw TCP lines"));
        } finally {
            for (ChildJvm c : new ChildJvm[] {a, b}) {
                if (c != null) {
                    c.close();
                }
            }
            if (browse != null) {
                browse.destroyForcibly();
            }
            if (avahi != null) {
                avahi.close();
            }
            for (NetNs n : namespaces) {
                n.close();
            }
        }
    }

    private ResultTable discovery(ChildJvm a, ChildJvm b, Map<String, Long> avahiSeen, int runs) {
        double[] ours = new double[runs];
        double[] oursTxt = new double[runs];
        double[] theirs = new double[runs];
        // one unmeasured round so that both browsers and the responder are past their start-up
        announce(a, b, avahiSeen, "warmup@a");
        for (int i = 0; i < runs; i++) {
            long[] t = announce(a, b, avahiSeen, "bench" + i + "@a");
            ours[i] = (t[1] - t[0]) / 1e6;
            oursTxt[i] = (t[2] - t[0]) / 1e6;
            theirs[i] = (t[3] - t[0]) / 1e6;
        }
        ResultTable table = new ResultTable("Discovery latency: advertise() in A until resolved in B (ours) / C (Avahi)",
                "ms (median)", false);
        table.add("avahi-browse resolved", median(theirs), spread(theirs), "SRV+TXT+A, same announcement");
        table.add("xp2p PeerInfo with address", median(ours), spread(ours), "peerAdded");
        table.add("xp2p PeerInfo with TXT", median(oursTxt), spread(oursTxt), "added/updated with txtvers");
        return table;
    }

    /** t0 advertise call, ours (address), ours (TXT), avahi. */
    private long[] announce(ChildJvm a, ChildJvm b, Map<String, Long> avahiSeen, String name) {
        a.send("advertise " + NET + "1 hosta " + name + " 5298");
        long t0 = stamp(a.awaitPrefix("T_ADVERTISE " + name + " ", BOUND));
        a.awaitPrefix("ADVERTISED " + name + " ", BOUND);
        long seen = stamp(b.awaitPrefix("SEEN " + name + " ", BOUND));
        long seenTxt = stamp(b.awaitPrefix("SEEN_TXT " + name + " ", BOUND));
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!avahiSeen.containsKey(name)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("avahi-browse did not resolve " + name);
            }
            sleep(5);
        }
        a.send("withdraw " + name);
        a.awaitPrefix("WITHDRAWN " + name, BOUND);
        return new long[] {t0, seen, seenTxt, avahiSeen.get(name)};
    }

    /** One device pair's figures: round trip p50 and p99 in µs, and one-way messages per second. */
    private record Figures(long p50, long p99, double rate) {
    }

    /**
     * Devices {@code from} in A and {@code to} in B (secured: ed25519 keys, identities from
     * seeds 1 and 2, each allowing the other's), then sequential ping/pong and a one-way burst,
     * measured after an unmeasured burst of the same size has warmed both JVMs up.
     */
    private Figures devices(ChildJvm a, ChildJvm b, String from, String to, boolean secured, int rttCount,
            int bulkCount) {
        int markA = a.mark();
        int markB = b.mark();
        a.send("device " + from + " " + NET + "1" + (secured ? " 1 2" : ""));
        b.send("device " + to + " " + NET + "2" + (secured ? " 2 1" : ""));
        a.awaitPrefixAfter(markA, "DEVICE ", BOUND);
        b.awaitPrefixAfter(markB, "DEVICE ", BOUND);
        ask(a, "await-peer " + to, "PEER " + to);
        ask(b, "await-peer " + from, "PEER " + from);
        bulk(a, b, to, bulkCount);
        long[] rtt = numbers(ask(a, "rtt " + to + " " + rttCount, "RTT "), 3);
        double rate = bulk(a, b, to, bulkCount);
        for (ChildJvm c : new ChildJvm[] {a, b}) {
            ask(c, "device-close", "DEVICE_CLOSED");
        }
        return new Figures(rtt[0], rtt[1], rate);
    }

    /** Sends {@code command} to {@code c} and waits for its answer: a line it prints after the command. */
    private static String ask(ChildJvm c, String command, String answerPrefix) {
        int mark = c.mark();
        c.send(command);
        return c.awaitPrefixAfter(mark, answerPrefix, BOUND);
    }

    /** Messages per second from A's first send() until B's handler has all {@code count}. */
    private static double bulk(ChildJvm a, ChildJvm b, String to, int count) {
        ask(b, "expect " + count, "EXPECTING ");
        int markB = b.mark();
        long start = stamp(ask(a, "bulk " + to + " " + count, "BULK_START "));
        long done = stamp(b.awaitPrefixAfter(markB, "BULK_DONE ", Duration.ofMinutes(3)));
        return count / ((done - start) / 1e9);
    }

    /** The same round trips and burst as raw TCP lines of about a stanza's size, over the same veths. */
    private ResultTable[] messaging(ChildJvm a, ChildJvm b, int rttCount, int bulkCount) {
        Figures plain = devices(a, b, "alice@a", "bob@b", false, rttCount, bulkCount);
        Figures e2e = devices(a, b, "carol@a", "dave@b", true, rttCount, bulkCount);
        // the plain stanza on the wire is about this long
        int size = 150;
        b.send("echo " + NET + "2 7001");
        b.awaitPrefix("ECHO_READY", BOUND);
        a.send("tcprtt " + NET + "2 7001 " + rttCount + " " + size);
        long[] tcp = numbers(a.awaitPrefix("TCPRTT ", BOUND), 3);
        b.send("sink " + NET + "2 7002 " + bulkCount);
        b.awaitPrefix("SINK_READY", BOUND);
        a.send("tcpbulk " + NET + "2 7002 " + bulkCount + " " + size);
        long tcpStart = stamp(a.awaitPrefix("TCPBULK_START ", BOUND));
        long tcpDone = stamp(b.awaitPrefix("TCPBULK_DONE ", BOUND));
        double tcpRate = bulkCount / ((tcpDone - tcpStart) / 1e9);

        ResultTable rtt = new ResultTable("Round trip over one stream, " + rttCount + " sequential ping/pong", "µs", false);
        rtt.add("raw TCP p50", tcp[0], Double.NaN, size + "-byte lines, echo");
        rtt.add("raw TCP p99", tcp[1], Double.NaN, "");
        rtt.add("xp2p message p50", plain.p50(), Double.NaN, "chat message, parsed by Smack, answered by the handler");
        rtt.add("xp2p message p99", plain.p99(), Double.NaN, "");
        rtt.add("xp2p E2E message p50", e2e.p50(), Double.NaN, "the same, encrypted and ed25519-signed both ways");
        rtt.add("xp2p E2E message p99", e2e.p99(), Double.NaN, "");
        ResultTable rate = new ResultTable("One-way throughput, " + bulkCount + " messages A -> B (after as many unmeasured)",
                "messages/s", true);
        rate.add("raw TCP lines", tcpRate, Double.NaN, size + "-byte lines, no parsing");
        rate.add("xp2p messages", plain.rate(), Double.NaN, "send() to handler on the other side");
        rate.add("xp2p E2E messages", e2e.rate(), Double.NaN, "the same, each encrypted and ed25519-signed ("
                + KeyAlgorithms.ed25519Signing() + ")");
        return new ResultTable[] {rtt, rate};
    }

    private static void readAvahi(Process p, Map<String, Long> seen) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                long now = System.nanoTime();
                String[] f = line.split(";");
                if (f.length >= 9 && f[0].equals("=")) {
                    seen.putIfAbsent(f[3].replace("\\064", "@"), now);
                }
            }
        } catch (Exception e) {
            // browser stopped
        }
    }

    private static long stamp(String line) {
        String[] w = line.split(" ");
        return Long.parseLong(w[w.length - 1]);
    }

    private static long[] numbers(String line, int n) {
        String[] w = line.split(" ");
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = Long.parseLong(w[1 + i]);
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Half the distance between the fastest and slowest run. */
    private static double spread(double[] v) {
        return (Arrays.stream(v).max().orElse(0) - Arrays.stream(v).min().orElse(0)) / 2;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
