package org.xp2p.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The overhead target of the E2E benchmark measured so that it survives a loaded, shared
 * machine: the stanza path and the raw primitives take turns, batch by batch, in one JVM
 * (A B B A within each round), so both see the same load, and each round gives one ratio.
 * Each batch is timed by the thread's CPU clock, so the time the thread spends waiting
 * for a core that other processes hold counts on neither side. Each row runs in a JVM of
 * its own. The table shows, per key type, cipher and payload, the median time per stanza
 * of each side, stanzas per second, and the median ratio with a 95 % bootstrap interval;
 * {@code bench/results/e2e.csv} gets the same figures.
 *
 * <p>Uses the set-up and the four methods of {@link E2eStanzaBench}, so it measures exactly
 * what the JMH benchmark measures. Run:
 * {@code bench/run e2e [keyTypes=ed25519,x25519,p256] [ciphers=acp,aes,cha] [payloads=256,4096] [rounds=60]
 * [batchMillis=20] [--quick]} (20 rounds).
 * Single-threaded; the ratio, not the absolute figure, is what carries over between machines.
 */
public final class E2eOverheadRun {
    private static final double TARGET = 1.15;
    private static final String ROW = "row ";
    private static final ThreadMXBean THREAD_CLOCK = ManagementFactory.getThreadMXBean();
    private static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    private E2eOverheadRun() {
    }

    /** One side of a comparison: a stanza operation or its raw primitives. */
    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }

    /** Medians in nanoseconds per stanza and the per-round ratios stanza / raw. */
    record Paired(double stanzaNanos, double rawNanos, double ratio, double ratioLow, double ratioHigh) {
    }

    public static void main(String[] args) throws Exception {
        List<String> keyTypes = List.of("ed25519", "x25519", "p256");
        List<String> ciphers = List.of("acp", "aes", "cha");
        List<Integer> payloads = List.of(256, 4096);
        int rounds = 60;
        int batchMillis = 20;
        String one = null;
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "keyTypes" -> keyTypes = List.of(kv[1].split(","));
                case "ciphers" -> ciphers = List.of(kv[1].split(","));
                case "payloads" -> payloads = Arrays.stream(kv[1].split(",")).map(Integer::valueOf).toList();
                case "rounds" -> rounds = Integer.parseInt(kv[1]);
                case "batchMillis" -> batchMillis = Integer.parseInt(kv[1]);
                case "one" -> one = kv[1];
                case "--quick" -> rounds = 20;
                default -> throw new IllegalArgumentException("unknown argument " + arg
                        + "; use keyTypes=, ciphers=, payloads=, rounds=, batchMillis=, --quick");
            }
        }
        if (one != null) {
            String[] c = one.split(",");
            measureOne(c[0], c[1], Integer.parseInt(c[2]), rounds, batchMillis);
            return;
        }
        System.out.printf(Locale.ROOT, "E2E stanza path vs raw primitives, interleaved A B B A, %d rounds of ~%d ms batches"
                + " (thread CPU time), one JVM per row%n", rounds, batchMillis);
        System.out.printf(Locale.ROOT, "%-8s %-4s %6s | %10s %10s %9s %-17s | %10s %10s %9s %-17s%n",
                "key", "ciph", "bytes", "enc us", "raw us", "enc/s", "ratio [95% CI]",
                "dec us", "raw us", "dec/s", "ratio [95% CI]");
        List<String> csv = new ArrayList<>();
        csv.add("key_type,cipher,payload_bytes,encrypt_ns,raw_encrypt_ns,encrypt_ratio,encrypt_ratio_low,encrypt_ratio_high,"
                + "decrypt_ns,raw_decrypt_ns,decrypt_ratio,decrypt_ratio_low,decrypt_ratio_high");
        for (String keyType : keyTypes) {
            for (String cipher : ciphers) {
                for (int payload : payloads) {
                    String[] f = forkOne(keyType, cipher, payload, rounds, batchMillis);
                    Paired enc = new Paired(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                            Double.parseDouble(f[3]), Double.parseDouble(f[4]));
                    Paired dec = new Paired(Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]),
                            Double.parseDouble(f[8]), Double.parseDouble(f[9]));
                    System.out.printf(Locale.ROOT, "%-8s %-4s %6d | %10.2f %10.2f %9.0f %-17s | %10.2f %10.2f %9.0f %-17s%n",
                            keyType, cipher, payload,
                            enc.stanzaNanos / 1e3, enc.rawNanos / 1e3, 1e9 / enc.stanzaNanos, ratio(enc),
                            dec.stanzaNanos / 1e3, dec.rawNanos / 1e3, 1e9 / dec.stanzaNanos, ratio(dec));
                    csv.add(keyType + "," + cipher + "," + payload + "," + String.join(",", f));
                }
            }
        }
        System.out.printf(Locale.ROOT, "(ratio = stanza time / raw time; * marks a ratio whose whole interval is above %.2f)%n", TARGET);
        Path out = Path.of("bench", "results", "e2e.csv");
        Files.createDirectories(out.getParent());
        Files.write(out, csv);
        System.out.println("CSV: " + out);
    }

    /**
     * One row in a JVM of its own, as JMH forks: in a shared JVM the cipher call sites the
     * rows before have seen (two or three cipher classes) change what the JIT inlines, and
     * not equally on both sides.
     */
    private static String[] forkOne(String keyType, String cipher, int payload, int rounds, int batchMillis)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), E2eOverheadRun.class.getName(),
                "one=" + keyType + "," + cipher + "," + payload, "rounds=" + rounds, "batchMillis=" + batchMillis)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String row = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith(ROW)) {
                    row = line.substring(ROW.length());
                }
            }
        }
        int exit = child.waitFor();
        if (exit != 0 || row == null) {
            throw new IllegalStateException("the measuring JVM for " + keyType + "/" + cipher + "/" + payload
                    + " exited with " + exit + (row == null ? " and printed no result" : ""));
        }
        return row.split(",");
    }

    private static void measureOne(String keyType, String cipher, int payload, int rounds, int batchMillis) throws Exception {
        E2eStanzaBench bench = new E2eStanzaBench();
        bench.keyType = keyType;
        bench.cipher = cipher;
        bench.payloadBytes = payload;
        bench.setUp();
        Paired enc = paired(bench::encryptAndSign, () -> bench.rawEncryptAndSign(BLACKHOLE), rounds, batchMillis);
        Paired dec = paired(bench::decryptAndVerify, () -> bench.rawDecryptAndVerify(BLACKHOLE), rounds, batchMillis);
        System.out.println(ROW + fields(enc) + "," + fields(dec));
    }

    private static String fields(Paired p) {
        return String.format(Locale.ROOT, "%.1f,%.1f,%.4f,%.4f,%.4f", p.stanzaNanos, p.rawNanos, p.ratio, p.ratioLow, p.ratioHigh);
    }

    private static String ratio(Paired p) {
        return String.format(Locale.ROOT, "%.3f [%.3f,%.3f]%s", p.ratio, p.ratioLow, p.ratioHigh, p.ratioLow > TARGET ? "*" : "");
    }

    static Paired paired(Op stanza, Op raw, int rounds, int batchMillis) throws Exception {
        // Warm-up: both sides long enough for the JIT, and an estimate of the batch size.
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        long n = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() < warmEnd) {
            stanza.run();
            raw.run();
            n++;
        }
        double pairNanos = (System.nanoTime() - t0) / (double) n;
        int batch = (int) Math.max(4, batchMillis * 1e6 / pairNanos);
        double[] stanzaTimes = new double[rounds];
        double[] rawTimes = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long a1 = batch(stanza, batch);
            long b1 = batch(raw, batch);
            long b2 = batch(raw, batch);
            long a2 = batch(stanza, batch);
            stanzaTimes[r] = (a1 + a2) / (2.0 * batch);
            rawTimes[r] = (b1 + b2) / (2.0 * batch);
            ratios[r] = stanzaTimes[r] / rawTimes[r];
        }
        double[] ci = bootstrapMedianInterval(ratios);
        return new Paired(median(stanzaTimes), median(rawTimes), median(ratios), ci[0], ci[1]);
    }

    /** CPU time of this thread for {@code n} runs: time spent descheduled by other load does not count. */
    private static long batch(Op op, int n) throws Exception {
        long start = THREAD_CLOCK.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            op.run();
        }
        return THREAD_CLOCK.getCurrentThreadCpuTime() - start;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /** 95 % percentile-bootstrap interval of the median (2,000 resamples, fixed seed). */
    static double[] bootstrapMedianInterval(double[] values) {
        SplittableRandom random = new SplittableRandom(42);
        int resamples = 2000;
        List<Double> medians = new ArrayList<>(resamples);
        double[] sample = new double[values.length];
        for (int i = 0; i < resamples; i++) {
            for (int j = 0; j < values.length; j++) {
                sample[j] = values[random.nextInt(values.length)];
            }
            medians.add(median(sample));
        }
        medians.sort(null);
        return new double[] {medians.get((int) (0.025 * resamples)), medians.get((int) (0.975 * resamples) - 1)};
    }
}
