package org.xp2p.bench.dht;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xp2p.discovery.dht.DhtConfig;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.GetResult;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.discovery.dht.PublicRecords;
import org.xp2p.discovery.dht.SubnetPolicy;
import org.xp2p.discovery.dht.record.PublicRecord;

/**
 * Issue #7: our DHT against the npm DHTs the seed systems used ({@code kad}) and js-libp2p's
 * ({@code @libp2p/kad-dht}), on this machine, in one run. Each implementation starts N
 * nodes bound to 127.0.0.1 only (the network rule), stores V values of the same size from
 * random nodes and looks them up L times from random nodes, one lookup at a time; the table
 * gives lookup latency p50/p99, nodes queried per lookup, hops (ours only: the others do
 * not report them), success rate, heap per node, each with its ratio to ours.
 *
 * <p>Ours runs in this JVM (real UDP sockets, {@link PublicRecords} items, the production
 * configuration with a 16-bit ID puzzle; loopback ports count as separate subnets). The npm
 * ones run in a child {@code node} process driven by bench/dht-compare/driver.mjs, whose
 * dependencies (exact versions in package.json and package-lock.json) {@code npm ci}
 * installs on first run. Threads: only the caller's, plus each node's reader and loop.
 *
 * <pre>
 * bench/run dht-compare [--quick] [--nodes=N] [--lookups=L] [--impls=ours,kad,kad-dht]
 * </pre>
 * Defaults: 50 nodes and 200 lookups (about 3 min on 2 shared cores); {@code --quick}: 20
 * and 50. Not the spec's 200 nodes: 100 kad-dht nodes (TCP + noise + yamux each, one
 * process) had not finished joining after 5 minutes here.
 */
public final class DhtCompareBench {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Path DRIVER_DIR = Path.of("bench", "dht-compare");
    private static final int VALUES = 20;
    private static final int PAYLOAD_OCTETS = 200;
    private static final long NODE_TIMEOUT_SECONDS = 1800;

    /** What one implementation measured. */
    record Result(String impl, String version, int nodes, double joinSeconds, double heapPerNodeBytes,
                  int medianTableSize, int stored, int values, List<Double> latenciesMs, List<Integer> queried,
                  List<Integer> hops, int found) {

        double percentile(double p) {
            List<Double> s = new ArrayList<>(latenciesMs);
            Collections.sort(s);
            return s.isEmpty() ? Double.NaN : s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100 * s.size()) - 1));
        }

        double successPercent() {
            return 100.0 * found / latenciesMs.size();
        }

        static double mean(List<Integer> xs) {
            return xs.isEmpty() ? Double.NaN : xs.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        boolean quick = a.contains("--quick");
        int nodes = intArg(args, "--nodes=", quick ? 20 : 50);
        int lookups = intArg(args, "--lookups=", quick ? 50 : 200);
        List<String> impls = Arrays.asList(Arrays.stream(args).filter(s -> s.startsWith("--impls="))
                .map(s -> s.substring(8)).findFirst().orElse("ours,kad,kad-dht").split(","));
        if (!impls.contains("ours")) {
            throw new IllegalArgumentException("--impls must include ours: it is the baseline of every ratio");
        }
        List<Result> results = new ArrayList<>();
        results.add(ours(nodes, lookups));
        List<String> npm = impls.stream().filter(i -> !i.equals("ours")).toList();
        if (!npm.isEmpty()) {
            installNpmDependencies();
            for (String impl : npm) {
                results.add(npmRun(impl, nodes, lookups));
            }
        }
        print(results);
        write(results, Path.of("bench", "results", "dht-compare.csv"));
    }

    private static int intArg(String[] args, String prefix, int fallback) {
        return Arrays.stream(args).filter(s -> s.startsWith(prefix)).map(s -> Integer.parseInt(s.substring(prefix.length())))
                .findFirst().orElse(fallback);
    }

    // ---------------------------------------------------------------- ours

    static Result ours(int n, int lookups) throws Exception {
        DhtConfig config = DhtConfig.builder().subnetPolicy(SubnetPolicy.LOOPBACK_PER_PORT).build();
        SecureRandom keys = new SecureRandom();
        Random pick = new Random(1);
        // Identities first: their puzzles are not memory of the nodes.
        List<NodeIdentity> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(NodeIdentity.generate(keys, config.puzzleDifficultyBits()));
        }
        long base = usedHeap();
        List<DhtNode> nodes = new ArrayList<>();
        try {
            for (NodeIdentity id : ids) {
                nodes.add(DhtNode.openUdp(config, id, new InetSocketAddress(LOOPBACK, 0)));
            }
            long t0 = System.nanoTime();
            for (int start = 1; start < n; start += 20) {
                List<CompletableFuture<Integer>> joins = new ArrayList<>();
                for (int i = start; i < Math.min(n, start + 20); i++) {
                    List<InetSocketAddress> seeds = new ArrayList<>();
                    seeds.add(nodes.get(0).localAddress());
                    for (int s = 0; s < 3; s++) {
                        seeds.add(nodes.get(pick.nextInt(start)).localAddress());
                    }
                    joins.add(nodes.get(i).bootstrap(seeds));
                }
                for (CompletableFuture<Integer> j : joins) {
                    j.get(60, TimeUnit.SECONDS);
                }
            }
            double joinSeconds = (System.nanoTime() - t0) / 1e9;
            double heapPerNode = (double) (usedHeap() - base) / n;
            List<Integer> tables = new ArrayList<>();
            for (DhtNode d : nodes) {
                tables.add(d.routingTableSize().get(10, TimeUnit.SECONDS));
            }
            Collections.sort(tables);

            List<byte[]> owners = new ArrayList<>();
            List<byte[]> payloads = new ArrayList<>();
            List<PublicRecords> publishers = new ArrayList<>();
            int stored = 0;
            for (int v = 0; v < VALUES; v++) {
                PublicRecords p = new PublicRecords(nodes.get(pick.nextInt(n)));
                byte[] payload = new byte[PAYLOAD_OCTETS];
                keys.nextBytes(payload);
                if (p.publish("bench-" + v, payload).get(30, TimeUnit.SECONDS).succeeded()) {
                    stored++;
                }
                publishers.add(p);
                owners.add(p.ownerKey());
                payloads.add(payload);
            }
            // The JIT warms up on lookups not measured (the JS engines warm up during their joins).
            for (int i = 0; i < 100; i++) {
                int v = i % VALUES;
                new PublicRecords(nodes.get(pick.nextInt(n))).lookup(owners.get(v), "bench-" + v).get(30, TimeUnit.SECONDS);
            }
            List<Double> ms = new ArrayList<>();
            List<Integer> queried = new ArrayList<>();
            List<Integer> hops = new ArrayList<>();
            int found = 0;
            for (int i = 0; i < lookups; i++) {
                int v = i % VALUES;
                PublicRecords reader = new PublicRecords(nodes.get(pick.nextInt(n)));
                long s = System.nanoTime();
                GetResult g = reader.lookup(owners.get(v), "bench-" + v).get(30, TimeUnit.SECONDS);
                ms.add((System.nanoTime() - s) / 1e6);
                queried.add(g.queried());
                Optional<PublicRecord> item = PublicRecords.itemOf(g);
                if (item.isPresent() && Arrays.equals(item.get().payload(), payloads.get(v))) {
                    found++;
                    hops.add(g.hops());
                }
            }
            publishers.forEach(PublicRecords::close);
            return new Result("ours", "xp2p", n, joinSeconds, heapPerNode, tables.get(n / 2), stored, VALUES, ms,
                    queried, hops, found);
        } finally {
            nodes.forEach(DhtNode::close);
        }
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    // ---------------------------------------------------------------- npm

    private static void installNpmDependencies() throws Exception {
        if (Files.isDirectory(DRIVER_DIR.resolve("node_modules"))) {
            return;
        }
        System.out.println("  (npm ci in " + DRIVER_DIR + ": installs the exact versions of package-lock.json)");
        Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DRIVER_DIR.toFile())
                .inheritIO().start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("npm ci failed in " + DRIVER_DIR + "; the npm registry must be reachable");
        }
    }

    static Result npmRun(String impl, int n, int lookups) throws Exception {
        List<String> cmd = List.of("node", "--expose-gc", "driver.mjs", "--impl=" + impl, "--nodes=" + n,
                "--values=" + VALUES, "--lookups=" + lookups, "--payload=" + PAYLOAD_OCTETS, "--seed=1");
        System.out.println("  (" + String.join(" ", cmd) + ")");
        Process p = new ProcessBuilder(cmd).directory(DRIVER_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!p.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException(impl + " run did not finish in " + NODE_TIMEOUT_SECONDS + " s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(impl + " run exited with " + p.exitValue());
        }
        String json = out.get(10, TimeUnit.SECONDS).trim();
        return new Result(impl, text(json, "version"), (int) number(json, "nodes"), number(json, "joinSeconds"),
                number(json, "heapPerNodeBytes"), (int) number(json, "medianTableSize"), (int) number(json, "stored"),
                (int) number(json, "values"), numbers(json, "latenciesMs"),
                numbers(json, "queried").stream().map(Double::intValue).toList(), List.of(), (int) number(json, "found"));
    }

    // The driver prints one flat JSON object; these read its few fields without a JSON library.
    private static String field(String json, String name, String valuePattern) {
        Matcher m = Pattern.compile("\"" + name + "\":(" + valuePattern + ")").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("driver output lacks \"" + name + "\": " + json);
        }
        return m.group(1);
    }

    private static double number(String json, String name) {
        return Double.parseDouble(field(json, name, "-?[0-9.eE+-]+"));
    }

    private static String text(String json, String name) {
        String quoted = field(json, name, "\"[^\"]*\"");
        return quoted.substring(1, quoted.length() - 1);
    }

    private static List<Double> numbers(String json, String name) {
        String list = field(json, name, "\\[[^\\]]*\\]");
        String inner = list.substring(1, list.length() - 1).trim();
        return inner.isEmpty() ? List.of() : Arrays.stream(inner.split(",")).map(Double::parseDouble).toList();
    }

    // ---------------------------------------------------------------- report

    private static String ratio(double value, double base) {
        return Double.isNaN(value) || Double.isNaN(base) || base == 0 ? "-"
                : String.format(Locale.ROOT, "%.2fx", value / base);
    }

    private static String fmt(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    static void print(List<Result> results) {
        Result ours = results.get(0);
        System.out.println();
        System.out.printf(Locale.ROOT, "DHT comparison on 127.0.0.1: %d nodes each, %d values of %d octets, %d lookups"
                + " one at a time (ratio = row / ours)%n", ours.nodes(), VALUES, PAYLOAD_OCTETS, ours.latenciesMs().size());
        String head = "%-8s %-8s %10s %7s %10s %7s %9s %6s %9s %9s %12s %7s %8s %8s%n";
        System.out.printf(Locale.ROOT, head, "impl", "version", "p50 ms", "ratio", "p99 ms", "ratio", "queried", "hops",
                "success", "stored", "heap KB/node", "ratio", "table", "join s");
        for (Result r : results) {
            double heapKb = r.heapPerNodeBytes() / 1024;
            System.out.printf(Locale.ROOT, head, r.impl(), r.version(), fmt(r.percentile(50), "%.2f"),
                    ratio(r.percentile(50), ours.percentile(50)), fmt(r.percentile(99), "%.2f"),
                    ratio(r.percentile(99), ours.percentile(99)), fmt(Result.mean(r.queried()), "%.1f"),
                    fmt(Result.mean(r.hops()), "%.2f"), fmt(r.successPercent(), "%.1f %%"),
                    r.stored() + "/" + r.values(), fmt(heapKb, "%.1f"),
                    ratio(r.heapPerNodeBytes(), ours.heapPerNodeBytes()), r.medianTableSize(),
                    fmt(r.joinSeconds(), "%.1f"));
        }
        System.out.println("queried = nodes asked per lookup (ours, kad-dht: answers received; kad: FIND_VALUE requests"
                + " sent; kad stops at the first value, unsigned and without quorum); hops = depth of the node that"
                + " returned the value (only ours reports it); heap = heap growth after GC / nodes (ours: JVM heap, excludes its 2"
                + " threads per node; npm: V8 heap of one process); table = median routing-table size");
    }

    static void write(List<Result> results, Path csv) throws IOException {
        Result ours = results.get(0);
        Files.createDirectories(csv.toAbsolutePath().getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv))) {
            w.println("impl,version,nodes,lookups,p50_ms,p50_ratio_to_ours,p99_ms,p99_ratio_to_ours,queried_mean,"
                    + "hops_mean,success_pct,stored,values,heap_bytes_per_node,heap_ratio_to_ours,median_table,join_s");
            for (Result r : results) {
                w.println(String.join(",", r.impl(), r.version(), Integer.toString(r.nodes()),
                        Integer.toString(r.latenciesMs().size()), fmt(r.percentile(50), "%.3f"),
                        fmt(r.percentile(50) / ours.percentile(50), "%.3f"), fmt(r.percentile(99), "%.3f"),
                        fmt(r.percentile(99) / ours.percentile(99), "%.3f"), fmt(Result.mean(r.queried()), "%.2f"),
                        fmt(Result.mean(r.hops()), "%.2f"), fmt(r.successPercent(), "%.1f"),
                        Integer.toString(r.stored()), Integer.toString(r.values()),
                        fmt(r.heapPerNodeBytes(), "%.0f"), fmt(r.heapPerNodeBytes() / ours.heapPerNodeBytes(), "%.3f"),
                        Integer.toString(r.medianTableSize()), fmt(r.joinSeconds(), "%.1f")));
            }
        }
        System.out.println("CSV: " + csv);
    }
}
