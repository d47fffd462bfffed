package org.xp2p.bench.e2e;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xp2p.bench.JmhRun;
import org.xp2p.bench.ResultTable;
import org.xp2p.e2e.crypto.Ed25519BatchVerifier;
import org.xp2p.e2e.crypto.Ed25519BatchVerifier.Item;

/**
 * Time per Ed25519 signature verified: Bouncy Castle's {@code Ed25519Signer} one signature at a
 * time (the baseline, what a device does per received stanza today) against
 * {@link Ed25519BatchVerifier#verifyAll} on batches of 1, 4, 16 and 64 signatures by one key over
 * 256-octet messages, as a burst from one peer would bring. Each JMH operation is one signature
 * ({@code @OperationsPerInvocation} = batch size), so the rows compare directly.
 *
 * <p>Signatures come from a pool of {@value #POOL} distinct ones, because verification cost
 * depends on the values. Run by {@code bench/run ed25519-batch [--quick]}; JMH drives its own
 * single benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Ed25519BatchBench {
    private static final int POOL = 256;
    private static final int MESSAGE_OCTETS = 256;

    private Ed25519PublicKeyParameters bcKey;
    private final Ed25519Signer bcVerifier = new Ed25519Signer();
    private byte[][] messages;
    private byte[][] signatures;
    private List<Item> items;
    private SecureRandom random;
    private int next;

    /** Runs the benchmark, prints the per-signature table (lower is better) and writes its CSV. */
    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        String title = "Ed25519 verification, time per signature (one key, " + MESSAGE_OCTETS + "-octet messages)";
        ResultTable measured = JmhRun.run(Ed25519BatchBench.class, title, quick);
        // JmhRun's table assumes throughput; these are times, so lower is better.
        ResultTable table = new ResultTable(title, "us/signature", false);
        for (String name : List.of("bouncyCastleSingle", "batchOf1", "batchOf4", "batchOf16", "batchOf64")) {
            ResultTable.Row row = measured.rows().stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("JMH measured no " + name));
            table.add(row.name(), row.value(), row.error(), note(row.name()));
        }
        String baseline = "bouncyCastleSingle";
        table.print(System.out, baseline);
        Path csv = table.writeCsv("ed25519-batch", baseline);
        System.out.println("CSV: " + csv);
    }

    private static String note(String row) {
        return row.startsWith("batchOf") ? "verifyAll, " + row.substring("batchOf".length()) + " per batch" : "";
    }

    @Setup
    public void setUp() {
        random = new SecureRandom();
        Ed25519PrivateKeyParameters secret = new Ed25519PrivateKeyParameters(random);
        bcKey = secret.generatePublicKey();
        Ed25519BatchVerifier.PublicPoint point = Ed25519BatchVerifier.decode(bcKey.getEncoded());
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, secret);
        messages = new byte[POOL][];
        signatures = new byte[POOL][];
        items = new ArrayList<>(POOL);
        for (int i = 0; i < POOL; i++) {
            messages[i] = new byte[MESSAGE_OCTETS];
            random.nextBytes(messages[i]);
            signer.update(messages[i], 0, MESSAGE_OCTETS);
            signatures[i] = signer.generateSignature();
            items.add(new Item(point, messages[i], signatures[i]));
        }
        if (!Ed25519BatchVerifier.verifyAll(items, random)) {
            throw new IllegalStateException("the pool's signatures do not verify as a batch");
        }
    }

    @Benchmark
    public boolean bouncyCastleSingle() {
        int i = next;
        next = (i + 1) % POOL;
        bcVerifier.init(false, bcKey);
        bcVerifier.update(messages[i], 0, MESSAGE_OCTETS);
        return check(bcVerifier.verifySignature(signatures[i]));
    }

    @Benchmark
    public boolean batchOf1() {
        return batch(1);
    }

    @Benchmark
    @OperationsPerInvocation(4)
    public boolean batchOf4() {
        return batch(4);
    }

    @Benchmark
    @OperationsPerInvocation(16)
    public boolean batchOf16() {
        return batch(16);
    }

    @Benchmark
    @OperationsPerInvocation(64)
    public boolean batchOf64() {
        return batch(64);
    }

    private boolean batch(int size) {
        int from = next - next % size; // POOL is a multiple of every size, so the batch stays inside it
        next = (from + size) % POOL;
        return check(Ed25519BatchVerifier.verifyAll(items.subList(from, from + size), random));
    }

    /** A valid pool that fails to verify means the figures measure a broken path. */
    private static boolean check(boolean verified) {
        if (!verified) {
            throw new IllegalStateException("a valid signature failed to verify");
        }
        return verified;
    }
}
