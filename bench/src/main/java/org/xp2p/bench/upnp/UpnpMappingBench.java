package org.xp2p.bench.upnp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.xp2p.testbed.NatGateway;
import org.xp2p.upnp.MappingMethod;
import org.xp2p.upnp.MappingRequest;
import org.xp2p.upnp.MappingState;
import org.xp2p.upnp.MappingStatus;
import org.xp2p.upnp.PortMapper;
import org.xp2p.upnp.PortMapperSettings;
import org.xp2p.upnp.PortMapping;
import org.xp2p.upnp.Protocol;

/**
 * Time to first mapping and cost of a renewal, per protocol, against one real miniupnpd on a router
 * in network namespaces (lan -> gw -> wan, built by the test bed). PCP is the baseline: each figure
 * is also given as a ratio to PCP's, measured in the same run against the same daemon.
 *
 * <p>The protocols take turns sample by sample in one device JVM, against one daemon.
 * "First mapping" is a cold start: a new PortMapper (UPnP: SSDP search and description fetch
 * included), map, then close (the delete is not timed). "Renewal" is {@link PortMapping#renewNow()}
 * on a held mapping: PCP one MAP exchange, NAT-PMP external address plus map, UPnP
 * GetExternalIPAddress plus AddPortMapping over HTTP.
 *
 * <p>Needs root and miniupnpd. The device side runs in a child JVM inside the lan namespace (the
 * network rule: nothing leaves the namespaces). Run from the repository root:
 * <pre>
 *   mvn -B -ntp -o -q -pl testbed,upnp install -DskipTests
 *   mvn -B -ntp -o -q -pl bench compile dependency:build-classpath -Dmdep.outputFile=/tmp/xp2p-bench-cp.txt
 *   java -cp bench/target/classes:$(cat /tmp/xp2p-bench-cp.txt) org.xp2p.bench.upnp.UpnpMappingBench [--quick]
 * </pre>
 * Prints a table; writes bench/results/upnp.csv.
 */
public final class UpnpMappingBench {
    private static final MappingMethod BASELINE = MappingMethod.PCP;
    private static final String DEVICE = "--device";

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(DEVICE)) {
            device(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        boolean quick = Arrays.asList(args).contains("--quick");
        int firstRuns = quick ? 10 : 40;
        int renewals = quick ? 50 : 300;
        Path results = Path.of("bench/results/upnp.csv");
        Path work = Files.createTempDirectory("xp2p-upnp-bench");
        Map<MappingMethod, Samples> measured;
        try (NatGateway router = NatGateway.build(work).startMiniupnpd(false)) {
            measured = runDevice(router, firstRuns, renewals);
        }
        try (var files = Files.walk(work)) {
            // config, pid file and daemon log of the router: only needed when something went wrong
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        report(measured, firstRuns, renewals, results);
    }

    /** Measured milliseconds of one protocol. */
    private record Samples(List<Double> firstMs, List<Double> renewMs) {
    }

    private static Map<MappingMethod, Samples> runDevice(NatGateway router, int firstRuns, int renewals)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = router.lan().inside(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), UpnpMappingBench.class.getName(), DEVICE,
                Integer.toString(firstRuns), Integer.toString(renewals));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<MappingMethod, Samples> measured = new LinkedHashMap<>();
        for (MappingMethod m : MappingMethod.values()) {
            measured.put(m, new Samples(new ArrayList<>(), new ArrayList<>()));
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] w = line.split(" ");
                if (w.length == 3 && (w[0].equals("first") || w[0].equals("renew"))) {
                    Samples s = measured.get(MappingMethod.valueOf(w[1]));
                    (w[0].equals("first") ? s.firstMs() : s.renewMs()).add(Double.parseDouble(w[2]));
                } else {
                    System.out.println("device: " + line);
                }
            }
        }
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("device run failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + ")");
        }
        return measured;
    }

    /**
     * The device side, inside the lan namespace: prints "first METHOD MS" and "renew METHOD MS".
     * The protocols take turns, sample by sample, so that load from elsewhere on the machine falls
     * on all of them alike and the ratios stay fair.
     */
    private static void device(int firstRuns, int renewals) throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Map<MappingMethod, PortMapperSettings> settings = new LinkedHashMap<>();
        Map<MappingMethod, MappingRequest> requests = new LinkedHashMap<>();
        int port = 7900;
        for (MappingMethod m : MappingMethod.values()) {
            settings.put(m, PortMapperSettings.on(InetAddress.getByName(NatGateway.LAN_HOST))
                    .methods(m).discoveryTimeout(Duration.ofSeconds(3)).build());
            requests.put(m, new MappingRequest(Protocol.TCP, port, port + 10000, Duration.ofHours(1),
                    "xp2p-bench-" + m));
            port++;
        }
        int warmup = Math.max(3, firstRuns / 4);
        for (int i = 0; i < warmup + firstRuns; i++) {
            for (MappingMethod m : MappingMethod.values()) {
                long t0 = System.nanoTime();
                try (PortMapper mapper = new PortMapper(settings.get(m), scheduler)) {
                    MappingStatus s = mapper.map(requests.get(m)).status();
                    double ms = (System.nanoTime() - t0) / 1e6;
                    require(s, m);
                    if (i >= warmup) {
                        System.out.println("first " + m + " " + ms);
                    }
                }
            }
        }
        Map<MappingMethod, PortMapper> mappers = new LinkedHashMap<>();
        Map<MappingMethod, PortMapping> held = new LinkedHashMap<>();
        for (MappingMethod m : MappingMethod.values()) {
            PortMapper mapper = new PortMapper(settings.get(m), scheduler);
            mappers.put(m, mapper);
            held.put(m, mapper.map(requests.get(m)));
            require(held.get(m).status(), m);
        }
        for (int i = 0; i < warmup * 10 + renewals; i++) {
            for (MappingMethod m : MappingMethod.values()) {
                long t0 = System.nanoTime();
                MappingStatus s = held.get(m).renewNow();
                double ms = (System.nanoTime() - t0) / 1e6;
                require(s, m);
                if (i >= warmup * 10) {
                    System.out.println("renew " + m + " " + ms);
                }
            }
        }
        for (MappingMethod m : MappingMethod.values()) {
            if (held.get(m).renewals() != warmup * 10 + renewals) {
                throw new IllegalStateException(m + " renewals counted " + held.get(m).renewals());
            }
            mappers.get(m).close();
        }
        scheduler.shutdownNow();
    }

    private static void require(MappingStatus s, MappingMethod method) {
        if (s.state() != MappingState.REACHABLE || s.current().method() != method) {
            throw new IllegalStateException("expected a " + method + " mapping, got " + s);
        }
    }

    private static double percentile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static void report(Map<MappingMethod, Samples> measured, int firstRuns, int renewals, Path csv)
            throws IOException {
        double baseFirst = percentile(measured.get(BASELINE).firstMs(), 0.5);
        double baseRenew = percentile(measured.get(BASELINE).renewMs(), 0.5);
        System.out.printf("%nPort mapping against miniupnpd %s (namespaces), %d cold first mappings and %d renewals "
                + "per protocol; baseline %s%n", "2.3.x", firstRuns, renewals, BASELINE);
        System.out.printf("%-9s %12s %10s %9s   %12s %10s %9s%n", "protocol", "first p50 ms", "p90 ms", "x PCP",
                "renew p50 ms", "p90 ms", "x PCP");
        Files.createDirectories(csv.getParent());
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("protocol,first_p50_ms,first_p90_ms,first_ratio_to_pcp,renew_p50_ms,renew_p90_ms,"
                    + "renew_ratio_to_pcp,first_samples,renew_samples");
            for (Map.Entry<MappingMethod, Samples> e : measured.entrySet()) {
                Samples s = e.getValue();
                double f50 = percentile(s.firstMs(), 0.5);
                double f90 = percentile(s.firstMs(), 0.9);
                double r50 = percentile(s.renewMs(), 0.5);
                double r90 = percentile(s.renewMs(), 0.9);
                System.out.printf("%-9s %12.2f %10.2f %9.2f   %12.2f %10.2f %9.2f%n", e.getKey(), f50, f90,
                        f50 / baseFirst, r50, r90, r50 / baseRenew);
                out.printf(java.util.Locale.ROOT, "%s,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d%n", e.getKey(), f50, f90,
                        f50 / baseFirst, r50, r90, r50 / baseRenew, s.firstMs().size(), s.renewMs().size());
            }
        }
        System.out.println("CSV: " + csv);
    }
}
