package org.xp2p.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xp2p.bench.broker.BrokerBench;
import org.xp2p.bench.dht.DhtBench;
import org.xp2p.bench.dht.DhtCompareBench;
import org.xp2p.bench.e2e.E2eOverheadRun;
import org.xp2p.bench.e2e.Ed25519BatchBench;
import org.xp2p.bench.e2e.Ed25519SignBench;
import org.xp2p.bench.linklocal.LinkLocalBench;
import org.xp2p.bench.schemas.PresenceParsingBenchmark;
import org.xp2p.bench.upnp.UpnpMappingBench;

/**
 * {@code bench/run NAME [ARGS...]}: runs one named benchmark (most take {@code --quick}), prints its table and writes
 * its CSV under bench/results/. With no name, lists the names.
 */
public final class BenchMain {

    /** One benchmark, given the arguments after its name ({@code --quick} among them). */
    @FunctionalInterface
    interface Bench {
        void run(String[] args) throws Exception;
    }

    private static final Map<String, Bench> BENCHES = new LinkedHashMap<>();

    static {
        BENCHES.put("schemas", args -> jmh(PresenceParsingBenchmark.class, "schemas",
                "Parse + validate one presence with <e2e/> (20 key types) and <p2p/>", "pullParseOnly", quick(args)));
        // Per-signature time of Ed25519 batch verification against Bouncy Castle's single verify (lower is better).
        BENCHES.put("ed25519-batch", Ed25519BatchBench::main);
        // Ed25519 signing: Bouncy Castle against an xp2p key (libsodium where installed).
        BENCHES.put("ed25519-sign", args -> jmh(Ed25519SignBench.class, "ed25519-sign", Ed25519SignBench.title(),
                "bouncyCastle", quick(args)));
        // The others are whole programs (namespaces, daemons, simulations) with their own mains.
        BENCHES.put("e2e", E2eOverheadRun::main);
        BENCHES.put("upnp", UpnpMappingBench::main);
        BENCHES.put("linklocal", LinkLocalBench::main);
        BENCHES.put("broker", BrokerBench::main);
        BENCHES.put("dht", DhtBench::main);
        // Ours against the npm DHTs kad and @libp2p/kad-dht (issue #7); needs node and npm.
        BENCHES.put("dht-compare", DhtCompareBench::main);
    }

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !BENCHES.containsKey(args[0])) {
            System.err.println("usage: bench/run NAME [--quick]   where NAME is one of " + BENCHES.keySet());
            System.exit(2);
        }
        BENCHES.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length));
    }

    private static boolean quick(String[] args) {
        return Arrays.asList(args).contains("--quick");
    }

    /** Runs a JMH class, prints the ratio table against {@code baseline}, writes the CSV. */
    static ResultTable jmh(Class<?> benchmark, String name, String title, String baseline, boolean quick)
            throws Exception {
        ResultTable table = JmhRun.run(benchmark, title, quick);
        table.print(System.out, baseline);
        Path csv = table.writeCsv(name, baseline);
        System.out.println("CSV: " + csv);
        return table;
    }
}
