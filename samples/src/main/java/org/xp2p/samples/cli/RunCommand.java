package org.xp2p.samples.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code xp2p run --config FILE}: one real device, narrating what happens, until Ctrl-C
 * (a shutdown hook closes it: mDNS goodbye, links closed, mappings deleted), the end of
 * {@code --duration}, or an interrupt of the thread running it (when embedded).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs one device from a configuration file and prints what it does: peers arriving and leaving, "
                + "links, messages received with the path they took. Stops cleanly on Ctrl-C.",
                "",
                "Configuration: key = value lines, # starts a comment, paths relative to the file.",
                "  identity.file = alice.key     (required) made by `xp2p keys create`",
                "  jid = alice@laptop            (required) broker mode: user@domain/resource",
                "  mode = serverless|broker      (required)",
                "  serverless.address = IP       the interface for mDNS and links",
                "  serverless.mdns = on|off      off: find peers through the DHT only",
                "  broker.host = HOST            and broker.port = 5222",
                "  broker.password = PW          or broker.password.env = VAR",
                "  broker.ca = ca.pem            the only CA trusted for the broker (PEM)",
                "  broker.tls = on|off           off: a test broker on loopback only",
                "  broker.direct.address = IP    open direct links to peers on this address",
                "  peer.NAME.key = BASE64        an allowed peer's identity key, with",
                "  peer.NAME.jid = JID           its JID and",
                "  peer.NAME.dht = IP:PORT,...   its DHT addresses",
                "  peer.NAME.offer = FILE        or all three from its contact offer (`xp2p offer import`)",
                "  dht.port = 4000               a DHT node (0: any port), on dht.address = IP; broker mode",
                "                                then starts without the broker and reaches peer.NAME.offer",
                "                                peers through their DHT records while it is down",
                "  dht.seeds = IP:PORT,...       nodes to join the DHT through",
                "  portmapping = on|off          map our ports on the gateway (default off)",
                "",
                ExitCodes.HELP})
public final class RunCommand implements Callable<Integer> {
    private static final long TICK_MILLIS = 1000;

    @Spec
    CommandSpec spec;
    @Mixin
    DeviceOptions device;
    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this long (default: run until Ctrl-C).")
    long durationSeconds;

    @Override
    public Integer call() {
        return Commands.run(spec, () -> {
            if (durationSeconds < 0) {
                throw new CliException(ExitCodes.USAGE, "--duration must be 0 (until Ctrl-C) or more seconds");
            }
            DeviceOptions.Loaded loaded = device.load();
            PrintWriter out = spec.commandLine().getOut();
            DeviceLog log = new DeviceLog(out, false);
            DeviceSession session = DeviceSession.start(loaded.config(), loaded.identity(), log);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                log.always("stopping (signal)...");
                session.close();
                log.always("stopped");
                stopped.countDown();
            }, "xp2p-run-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            log.always("running as " + session.core().jid() + (durationSeconds > 0 ? " for " + durationSeconds + " s"
                    : "; Ctrl-C stops"));
            long end = durationSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
            boolean interrupted = false;
            try {
                while (System.nanoTime() < end) {
                    if (stopped.await(TICK_MILLIS, TimeUnit.MILLISECONDS)) {
                        return ExitCodes.OK;
                    }
                    session.tick();
                }
            } catch (InterruptedException e) {
                // whoever embeds the command (a test, a service wrapper) asks it to stop: a clean stop
                interrupted = true;
            } finally {
                if (stopped.getCount() > 0) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException alreadyShuttingDown) {
                        // the hook is running and closes the session itself
                    }
                    log.always("stopping...");
                    session.close();
                    log.always("stopped");
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return ExitCodes.OK;
        });
    }
}
