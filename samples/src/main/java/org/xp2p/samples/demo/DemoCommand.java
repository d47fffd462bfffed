package org.xp2p.samples.demo;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xp2p demo}: the demos; one for now, the smart cars. */
@Command(name = "demo", description = "Runs a demo scenario on this machine (loopback only).",
        mixinStandardHelpOptions = true, subcommands = DemoCommand.Cars.class)
public final class DemoCommand {

    @Command(name = "cars", mixinStandardHelpOptions = true,
            description = {"A Toyota and a Ford, their owner, a security company and a traffic monitor, all on "
                    + "127.0.0.1. The cars publish speed and position into the DHT, which the monitor reads; "
                    + "speed-limit and door events go, end-to-end encrypted, only to the owner and the security "
                    + "company.",
                    "Exit status: 0 when every event reached exactly the authorised parties, 1 otherwise, "
                            + "2 when the scenario could not start."})
    static final class Cars implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "30",
                description = "How long the cars drive (default: ${DEFAULT-VALUE} s).")
        private long durationSeconds;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "2026",
                description = "Seed of the simulated sensors (default: ${DEFAULT-VALUE}).")
        private long seed;

        @Option(names = "--dht-nodes", paramLabel = "N", defaultValue = "12",
                description = "Bystander DHT nodes besides the parties' own (default: ${DEFAULT-VALUE}).")
        private int bystanders;

        @Option(names = "--broker", paramLabel = "HOST:PORT",
                description = "Run the scenario through this XMPP broker (on this machine; plaintext c2s with "
                        + "in-band registration, as a test broker has) instead of serverless.")
        private String broker;

        @Option(names = "--domain", paramLabel = "DOMAIN", defaultValue = "localhost",
                description = "The broker's XMPP domain (default: ${DEFAULT-VALUE}).")
        private String domain;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            CarsScenario.Settings settings;
            try {
                settings = new CarsScenario.Settings(Duration.ofSeconds(durationSeconds), Duration.ofSeconds(1), seed,
                        bystanders, Optional.ofNullable(broker).map(Cars::hostAndPort), domain);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("xp2p demo cars: " + e.getMessage());
                return 2;
            }
            try {
                return CarsScenario.run(settings, out).ok() ? 0 : 1;
            } catch (IllegalStateException | java.io.IOException e) {
                spec.commandLine().getErr().println("xp2p demo cars: could not run the scenario: " + e.getMessage());
                return 2;
            }
        }

        private static InetSocketAddress hostAndPort(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("--broker wants HOST:PORT, e.g. 127.0.0.1:5222, not " + text);
            }
            String host = text.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the port in --broker " + text + " is not a number");
            }
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("cannot resolve the broker host " + host);
            }
            return address;
        }
    }
}
