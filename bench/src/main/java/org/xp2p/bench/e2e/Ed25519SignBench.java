package org.xp2p.bench.e2e;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xp2p.e2e.crypto.KeyAlgorithms;
import org.xp2p.e2e.crypto.LocalKey;
import org.xp2p.schemas.KeyType;

/**
 * Ed25519 signatures per second over 256-octet messages: Bouncy Castle's {@code Ed25519Signer}
 * (the baseline) against an xp2p ed25519 key, which signs with libsodium when the system has it
 * ({@link KeyAlgorithms#ed25519Signing()} says which, in the table's title). Both sign with the
 * same seed and must give the same signatures. Run by {@code bench/run ed25519-sign [--quick]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Ed25519SignBench {
    private static final int POOL = 256;
    private static final int MESSAGE_OCTETS = 256;

    private final Ed25519Signer bouncyCastle = new Ed25519Signer();
    private LocalKey xp2pKey;
    private byte[][] messages;
    private int next;

    public static String title() {
        return "Ed25519 signing, signatures per second (" + MESSAGE_OCTETS + "-octet messages); xp2p signs with "
                + KeyAlgorithms.ed25519Signing();
    }

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        bouncyCastle.init(true, new Ed25519PrivateKeyParameters(seed, 0));
        xp2pKey = KeyAlgorithms.of(KeyType.ED25519).restore(seed);
        messages = new byte[POOL][MESSAGE_OCTETS];
        for (byte[] m : messages) {
            random.nextBytes(m);
        }
        bouncyCastle.update(messages[0], 0, MESSAGE_OCTETS);
        if (!Arrays.equals(bouncyCastle.generateSignature(), xp2pKey.sign(messages[0], null))) {
            throw new IllegalStateException("xp2p and Bouncy Castle sign differently: the figures would compare two things");
        }
    }

    @Benchmark
    public byte[] bouncyCastle() {
        byte[] m = message();
        bouncyCastle.update(m, 0, m.length);
        return bouncyCastle.generateSignature();
    }

    @Benchmark
    public byte[] xp2p() {
        return xp2pKey.sign(message(), null);
    }

    private byte[] message() {
        int i = next;
        next = (i + 1) % POOL;
        return messages[i];
    }
}
