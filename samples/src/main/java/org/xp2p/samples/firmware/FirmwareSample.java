package org.xp2p.samples.firmware;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.samples.common.LoopbackFleet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code xp2p sample firmware}: a publisher and a thermostat on loopback. The publisher
 * pushes a good update, then one that is not newer, a tampered image, a manifest signed by
 * a key the thermostat did not pin, and a truncated image; the thermostat installs the
 * first and refuses each of the others with its reason. Exit 0 when every outcome is the
 * expected one.
 */
@Command(name = "firmware", mixinStandardHelpOptions = true,
        description = "Signed firmware updates: pinned publisher key, newer versions only, chunked encrypted transfer,"
                + " size and hash verified; and the refusals.")
public final class FirmwareSample implements Callable<Integer> {
    private static final String PRODUCT = "thermostat-t1";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    @Spec
    private CommandSpec spec;

    @Option(names = "--image-kib", paramLabel = "KIB", description = "Size of the update image (default: ${DEFAULT-VALUE}).")
    private int imageKib = 256;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (imageKib < 1 || imageKib > 64 * 1024) {
            spec.commandLine().getErr().println("--image-kib must be 1..65536, not " + imageKib);
            return 2;
        }
        SecureRandom random = new SecureRandom();
        IdentityKey publisherKey = IdentityKey.generate(random);
        IdentityKey rogueKey = IdentityKey.generate(random);
        FirmwareUpdater thermostat = new FirmwareUpdater(PRODUCT, FirmwareVersion.parse("1.0.0"), publisherKey.publicKey(),
                128L * 1024 * 1024);
        out.println("Signed firmware updates between secured serverless devices on 127.0.0.1");
        out.println("  thermostat runs " + PRODUCT + " 1.0.0 and pins publisher key " + SignedManifest.fingerprint(
                publisherKey.publicKey()));
        out.flush();
        LoopbackFleet.Builder b = LoopbackFleet.builder("firmware")
                .device("publisher", publisherKey, (m, a) -> { })
                .device("thermostat", thermostat)
                .contacts("publisher", "thermostat");
        int unexpected = 0;
        try (LoopbackFleet fleet = b.start()) {
            FirmwarePublisher publisher = new FirmwarePublisher(fleet.device("publisher"), STEP_TIMEOUT);
            String to = fleet.instanceOf("thermostat");
            byte[] v110 = new byte[imageKib * 1024];
            random.nextBytes(v110);
            FirmwareManifest m110 = FirmwareManifest.of(PRODUCT, FirmwareVersion.parse("1.1.0"), v110);
            byte[] v120 = Arrays.copyOf(v110, v110.length);
            v120[7] ^= 1;
            FirmwareManifest m120 = FirmwareManifest.of(PRODUCT, FirmwareVersion.parse("1.2.0"), v120);
            byte[] tampered = v120.clone();
            tampered[tampered.length / 2] ^= 0x40;

            unexpected += show(out, "1.1.0, good", publisher.push(to, SignedManifest.sign(m110, publisherKey), v110), null);
            unexpected += show(out, "1.1.0 again", publisher.push(to, SignedManifest.sign(m110, publisherKey), v110),
                    Refusal.NOT_NEWER);
            unexpected += show(out, "1.2.0, one bit of the image flipped in transit",
                    publisher.push(to, SignedManifest.sign(m120, publisherKey), tampered), Refusal.HASH_MISMATCH);
            unexpected += show(out, "1.2.0, signed by another key",
                    publisher.push(to, SignedManifest.sign(m120, rogueKey), v120), Refusal.WRONG_SIGNER);
            unexpected += show(out, "1.2.0, transfer cut short",
                    publisher.push(to, SignedManifest.sign(m120, publisherKey), Arrays.copyOf(v120, v120.length / 3)),
                    Refusal.TRUNCATED);
            out.println("  thermostat runs " + thermostat.running() + "; its log:");
            for (FirmwareUpdater.Event e : thermostat.events()) {
                out.println("    " + (e.offer() != null ? e.offer().manifest().version() : "?") + " " + e.result());
            }
            if (!thermostat.running().equals(m110.version()) || !Arrays.equals(thermostat.installedImage(), v110)) {
                out.println("  UNEXPECTED: the thermostat should run the 1.1.0 image");
                unexpected++;
            }
        }
        out.println(unexpected == 0 ? "OK" : "FAILED: " + unexpected + " unexpected outcome(s)");
        out.flush();
        return unexpected == 0 ? 0 : 1;
    }

    private static int show(PrintWriter out, String what, UpdateResult result, Refusal expected) {
        boolean asExpected = expected == null ? result.installed() : expected == result.refusal();
        out.println("  push " + what + ": " + result + (asExpected ? "" : "  <- UNEXPECTED"));
        out.flush();
        return asExpected ? 0 : 1;
    }
}
