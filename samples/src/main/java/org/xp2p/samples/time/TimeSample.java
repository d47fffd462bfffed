package org.xp2p.samples.time;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jivesoftware.smack.packet.Message;
import org.xp2p.samples.common.LoopbackFleet;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code xp2p sample time}: three devices on loopback; "asker" asks "clock" (whose clock
 * runs ahead by {@code --skew}) for its time and prints the offset, then asks "mute" (which
 * offers no time service) and prints the refusal. Exit 0 when the offset matches the skew
 * and mute's refusal is clear.
 */
@Command(name = "time", mixinStandardHelpOptions = true,
        description = "Entity time (XEP-0202) over a secured direct link, and a peer that does not offer it.")
public final class TimeSample implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** How far the measured offset may be from the skew: the round trip on loopback is a few ms. */
    private static final Duration TOLERANCE = Duration.ofSeconds(2);

    @Spec
    private CommandSpec spec;

    @Option(names = "--skew", paramLabel = "SECONDS", description = "How far clock's clock runs ahead (default: ${DEFAULT-VALUE}).")
    private long skewSeconds = 90;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Duration skew = Duration.ofSeconds(skewSeconds);
        out.println("Entity time (XEP-0202) between secured serverless devices on 127.0.0.1");
        out.println("  starting asker, clock (runs " + skewSeconds + " s ahead) and mute (no time service)...");
        out.flush();
        LoopbackFleet.Builder b = LoopbackFleet.builder("time")
                .device("asker", new TimeService(Clock.systemUTC()))
                .device("clock", new TimeService(Clock.offset(Clock.systemUTC(), skew)))
                .device("mute", new Silent())
                .contacts("asker", "clock", "mute");
        boolean ok = true;
        try (LoopbackFleet fleet = b.start()) {
            TimeQuery query = new TimeQuery(fleet.device("asker"), Clock.systemUTC(), TIMEOUT);
            PeerTime t = query.ask(fleet.instanceOf("clock"));
            out.printf("  asker -> %s: %s (zone %s), offset %+.3f s, round trip %d ms%n", t.peer(), t.peerTime(), t.zone(),
                    t.offset().toMillis() / 1000.0, t.roundTrip().toMillis());
            if (t.offset().minus(skew).abs().compareTo(TOLERANCE) > 0) {
                out.println("  UNEXPECTED: the offset should be " + skewSeconds + " s");
                ok = false;
            }
            try {
                PeerTime wrong = query.ask(fleet.instanceOf("mute"));
                out.println("  UNEXPECTED: mute answered " + wrong);
                ok = false;
            } catch (TimeQueryException e) {
                out.println("  asker -> " + fleet.instanceOf("mute") + ": " + e.getMessage());
            }
        }
        out.println(ok ? "OK" : "FAILED");
        out.flush();
        return ok ? 0 : 1;
    }

    /** A device that answers no requests: each gets service-unavailable. */
    private static final class Silent implements StanzaHandler {
        @Override
        public void onMessage(Message message, Arrival arrival) {
        }
    }
}
