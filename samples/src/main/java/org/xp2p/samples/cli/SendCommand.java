package org.xp2p.samples.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.xp2p.xmpp.DeliveryPath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code xp2p send --config FILE --to JID TEXT}: one end-to-end encrypted message, confirmed. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Starts the device, sends TEXT end-to-end encrypted to JID, waits until the peer confirms it "
                + "and prints the path it took (LINK_LOCAL, DIRECT_LINK or BROKER).", ExitCodes.HELP})
public final class SendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    DeviceOptions device;
    @Option(names = "--to", required = true, paramLabel = "JID", description = "The peer: user@machine (serverless) "
            + "or user@domain/resource (broker).")
    String to;
    @Option(names = "--wait", paramLabel = "SECONDS", description = "How long to look for the peer (default: ${DEFAULT-VALUE}).")
    int waitSeconds = 15;
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the confirmation "
            + "(default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 30;
    @Option(names = {"-v", "--verbose"}, description = "Narrate the device's start and events on stderr.")
    boolean verbose;
    @Parameters(paramLabel = "TEXT", description = "The message.")
    String text;

    @Override
    public Integer call() {
        return Commands.run(spec, () -> {
            if (waitSeconds < 0 || timeoutSeconds < 1) {
                throw new CliException(ExitCodes.USAGE, "--wait must be 0 or more seconds and --timeout at least 1");
            }
            DeviceOptions.Loaded loaded = device.load();
            PrintWriter err = spec.commandLine().getErr();
            DeviceLog log = new DeviceLog(err, !verbose);
            try (DeviceSession session = DeviceSession.start(loaded.config(), loaded.identity(), log,
                    Optional.of(DeviceSession.LOOKUPS_WHILE_WAITING))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
                int shown = -1;
                while (!session.core().sees(to)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        err.println();
                        throw new CliException(ExitCodes.PEER_UNKNOWN, to + " was not seen within " + waitSeconds
                                + " s (seen: " + session.core().peers().stream().map(PeerView::jid).toList() + "). Check "
                                + "that it is running (`xp2p run`), on the same network or broker, and the JID's spelling");
                    }
                    int s = (int) (left / 1_000_000_000L);
                    if (s != shown) {
                        err.print("\rlooking for " + to + "... " + s + " s left ");
                        err.flush();
                        shown = s;
                    }
                    Thread.sleep(100);
                }
                if (shown >= 0) {
                    err.println();
                }
                err.println("sending to " + to + "...");
                long start = System.nanoTime();
                DeliveryPath path = session.core().send(to, text, Duration.ofSeconds(timeoutSeconds));
                spec.commandLine().getOut().println("delivered to " + to + " via " + path + ", end-to-end encrypted, in "
                        + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
            return ExitCodes.OK;
        });
    }
}
