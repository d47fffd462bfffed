package org.xp2p.e2e.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.KeyType;

/**
 * ed25519 signing by libsodium gives exactly Bouncy Castle's signatures, and the switch
 * between them works. On a machine without libsodium (Debian: libsodium23, which
 * scripts/install-test-deps installs) the comparisons skip, and the first test fails.
 */
class LibsodiumEd25519Test {
    private static final EdwardsAlgorithm BY_LIBSODIUM = LibsodiumEd25519.isAvailable()
            ? new EdwardsAlgorithm(KeyType.ED25519, true) : null;
    private static final EdwardsAlgorithm BY_BOUNCY_CASTLE = new EdwardsAlgorithm(KeyType.ED25519, false);

    @Test
    void libsodiumSignsWhereTheSystemHasIt() {
        assumeTrue(systemHasLibsodium(), "no libsodium shared library on this machine");
        assertTrue(LibsodiumEd25519.isAvailable(), KeyAlgorithms.ed25519Signing());
        assertTrue(KeyAlgorithms.ed25519Signing().startsWith("libsodium 1."), KeyAlgorithms.ed25519Signing());
    }

    @Test
    void rfc8032Test1EmptyMessage() {
        assumeTrue(LibsodiumEd25519.isAvailable());
        HexFormat hex = HexFormat.of();
        LocalKey key = BY_LIBSODIUM.restore(hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b", hex.formatHex(key.sign(new byte[0], null)));
    }

    @Test
    void twoHundredRandomKeysAndMessagesSignAsBouncyCastleDoesAndVerify() {
        assumeTrue(LibsodiumEd25519.isAvailable());
        Random random = new Random(8032);
        for (int i = 0; i < 200; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            byte[] message = new byte[i == 199 ? 65_536 : random.nextInt(2_000)];
            random.nextBytes(message);
            LocalKey fast = BY_LIBSODIUM.restore(seed);
            LocalKey reference = BY_BOUNCY_CASTLE.restore(seed);
            assertArrayEquals(reference.published().pub(), fast.published().pub());
            byte[] signature = fast.sign(message, null);
            assertArrayEquals(reference.sign(message, null), signature, "key " + i);
            assertTrue(BY_BOUNCY_CASTLE.decode(fast.published()).verify(message, signature), "key " + i);
        }
    }

    @Test
    void oneKeySignsFromManyThreadsAtOnce() throws Exception {
        assumeTrue(LibsodiumEd25519.isAvailable());
        byte[] seed = new byte[32];
        seed[0] = 7;
        LocalKey fast = BY_LIBSODIUM.restore(seed);
        LocalKey reference = BY_BOUNCY_CASTLE.restore(seed);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        byte[] message = ("thread " + thread + " message " + i).getBytes(StandardCharsets.UTF_8);
                        assertArrayEquals(reference.sign(message, null), fast.sign(message, null));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void thePropertyTurnsLibsodiumOffAndBouncyCastleSignsWhileAskingForLibsodiumIsRefused() throws Exception {
        assertEquals("Bouncy Castle (disabled by -Dxp2p.e2e.libsodium=false); libsodium refused",
                signingInChildJvm("-Dxp2p.e2e.libsodium=false"));
        if (LibsodiumEd25519.isAvailable()) {
            assertTrue(signingInChildJvm("-Dxp2p.e2e.libsodium=true").startsWith("libsodium "));
        }
    }

    /** What {@link SigningReport} prints in a fresh JVM started with {@code property}. */
    private static String signingInChildJvm(String property) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, property, "-cp", System.getProperty("java.class.path"),
                SigningReport.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static boolean systemHasLibsodium() {
        for (String dir : List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/local/lib")) {
            try (var files = Files.list(Path.of(dir))) {
                if (files.anyMatch(f -> f.getFileName().toString().startsWith("libsodium.so"))) {
                    return true;
                }
            } catch (IOException e) {
                // not there: look in the next one
            }
        }
        return false;
    }

    /**
     * Run by {@link #signingInChildJvm}: prints what signs, after signing once with it, and
     * where libsodium is not used, whether asking for it anyway is refused.
     */
    public static final class SigningReport {
        public static void main(String[] args) {
            LocalKey key = KeyAlgorithms.of(KeyType.ED25519).restore(new byte[32]);
            if (!KeyAlgorithms.of(KeyType.ED25519).decode(key.published()).verify(new byte[] {1}, key.sign(new byte[] {1}, null))) {
                throw new AssertionError("signature does not verify");
            }
            String refusal = "";
            if (!LibsodiumEd25519.isAvailable()) {
                try {
                    new EdwardsAlgorithm(KeyType.ED25519, true);
                    refusal = "; libsodium granted";
                } catch (IllegalStateException e) {
                    refusal = "; libsodium refused";
                }
            }
            System.out.println(KeyAlgorithms.ed25519Signing() + refusal);
        }
    }
}
