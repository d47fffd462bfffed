package org.xp2p.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xp2p.bench.schemas.PresenceParsingBenchmark;

/**
 * {@code bench/run NAME [--quick]}: runs one named benchmark, prints its table and writes
 * its CSV under bench/results/. With no name, lists the names.
 */
public final class BenchMain {

    @FunctionalInterface
    interface Bench {
        void run(boolean quick) throws Exception;
    }

    private static final Map<String, Bench> BENCHES = new LinkedHashMap<>();

    static {
        BENCHES.put("schemas", quick -> jmh(PresenceParsingBenchmark.class, "schemas",
                "Parse + validate one presence with <e2e/> (20 key types) and <p2p/>", "pullParseOnly", quick));
    }

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !BENCHES.containsKey(args[0])) {
            System.err.println("usage: bench/run NAME [--quick]   where NAME is one of " + BENCHES.keySet());
            System.exit(2);
        }
        boolean quick = args.length > 1 && args[1].equals("--quick");
        BENCHES.get(args[0]).run(quick);
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
