package org.xp2p.samples.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xp2p peers --config FILE}: starts the device, waits, lists the peers it sees, exits. */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = {"Starts the device, waits, and lists the peers it sees: JID, [source], addresses, keys. "
                + "Sources: MDNS (serverless), BROKER (roster presence), DHT (published presence of an allowed peer).",
                ExitCodes.HELP})
public final class PeersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    DeviceOptions device;
    @Option(names = "--wait", paramLabel = "SECONDS", description = "How long to look before listing (default: ${DEFAULT-VALUE}).")
    int waitSeconds = 5;
    @Option(names = {"-v", "--verbose"}, description = "Narrate the device's start and events on stderr.")
    boolean verbose;

    @Override
    public Integer call() {
        return Commands.run(spec, () -> {
            if (waitSeconds < 0) {
                throw new CliException(ExitCodes.USAGE, "--wait must be 0 or more seconds");
            }
            DeviceOptions.Loaded loaded = device.load();
            PrintWriter err = spec.commandLine().getErr();
            DeviceLog log = new DeviceLog(err, !verbose);
            try (DeviceSession session = DeviceSession.start(loaded.config(), loaded.identity(), log,
                    Optional.of(DeviceSession.LOOKUPS_WHILE_WAITING))) {
                for (int i = waitSeconds; i > 0; i--) {
                    err.print("\rlooking for peers... " + i + " s left, " + session.core().peers().size() + " seen ");
                    err.flush();
                    Thread.sleep(1000);
                    session.tick();
                }
                err.println();
                List<PeerView> peers = session.peers();
                PrintWriter out = spec.commandLine().getOut();
                if (peers.isEmpty()) {
                    err.println("no peers seen in " + waitSeconds + " s; are they running (`xp2p run`), on the same "
                            + "network or broker, and is a longer --wait needed?");
                }
                for (PeerView p : peers) {
                    out.println(p.line());
                }
            }
            return ExitCodes.OK;
        });
    }
}
