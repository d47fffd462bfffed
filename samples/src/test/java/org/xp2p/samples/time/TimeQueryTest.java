package org.xp2p.samples.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xp2p.samples.common.LoopbackFleet;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;
import picocli.CommandLine;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeQueryTest {
    private static final Duration SKEW = Duration.ofMinutes(-7);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private LoopbackFleet fleet;

    /** Answers time requests only after the test is over: a peer that does not answer in time. */
    private final class Slow implements StanzaHandler {
        private final TimeService service = new TimeService(Clock.systemUTC());

        @Override
        public void onMessage(Message message, Arrival arrival) {
        }

        @Override
        public IQ onIqRequest(IQ request, Arrival arrival) {
            try {
                releaseSlow.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return service.onIqRequest(request, arrival);
        }
    }

    @BeforeAll
    void start() throws Exception {
        fleet = LoopbackFleet.builder("timetest")
                .device("asker", new TimeService(Clock.systemUTC()))
                .device("behind", new TimeService(Clock.offset(Clock.systemUTC(), SKEW)))
                .device("mute", (m, a) -> { })
                .device("slow", new Slow())
                .contacts("asker", "behind", "mute", "slow")
                .start();
    }

    @AfterAll
    void stop() {
        releaseSlow.countDown();
        if (fleet != null) {
            fleet.close();
        }
    }

    private TimeQuery query(Duration timeout) {
        return new TimeQuery(fleet.device("asker"), Clock.systemUTC(), timeout);
    }

    @Test
    void thePeersClockOffsetIsMeasuredOverTheEncryptedLink() throws Exception {
        PeerTime t = query(Duration.ofSeconds(5)).ask(fleet.instanceOf("behind"));
        assertEquals(fleet.instanceOf("behind"), t.peer());
        assertEquals("+00:00", t.zone());
        // the answer carries milliseconds; on loopback the round trip is a few of them
        Duration error = t.offset().minus(SKEW).abs();
        assertTrue(error.compareTo(t.roundTrip().plusMillis(2)) <= 0, "offset " + t.offset() + ", round trip " + t.roundTrip());
        assertTrue(t.roundTrip().compareTo(Duration.ofSeconds(5)) < 0, t.toString());
    }

    @Test
    void aPeerWithoutTheServiceIsAClearRefusal() {
        TimeQueryException e = assertThrows(TimeQueryException.class,
                () -> query(Duration.ofSeconds(5)).ask(fleet.instanceOf("mute")));
        assertEquals(fleet.instanceOf("mute") + " refused the time request: service-unavailable"
                + " (it does not offer entity time, XEP-0202)", e.getMessage());
    }

    @Test
    void aPeerThatDoesNotAnswerInTimeIsAClearTimeout() {
        TimeQueryException e = assertThrows(TimeQueryException.class,
                () -> query(Duration.ofMillis(700)).ask(fleet.instanceOf("slow")));
        assertEquals(fleet.instanceOf("slow") + " did not answer the time request within 700 ms", e.getMessage());
    }

    @Test
    void aPeerThatIsNotOnTheNetworkCannotBeAsked() {
        TimeQueryException e = assertThrows(TimeQueryException.class,
                () -> query(Duration.ofSeconds(5)).ask(fleet.instanceOf("ghost")));
        assertTrue(e.getMessage().startsWith("cannot ask " + fleet.instanceOf("ghost") + " for its time: no instance"),
                e.getMessage());
    }

    @Test
    void theCommandPrintsTheOffsetAndTheRefusalAndExitsZero() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new TimeSample());
        cl.setOut(new PrintWriter(out));
        int status = cl.execute("--skew", "42");
        assertEquals(0, status, out.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("offset \\+(\\d+\\.\\d{3}) s, round trip (\\d+) ms")
                .matcher(out.toString());
        assertTrue(m.find(), out.toString());
        // the offset is measured against the midpoint of the round trip, so it is off by at most half of it
        long errorMillis = Math.abs(Math.round(Double.parseDouble(m.group(1)) * 1000) - 42_000);
        assertTrue(errorMillis <= Long.parseLong(m.group(2)) / 2 + 2, out.toString());
        assertTrue(out.toString().contains("service-unavailable"), out.toString());
        assertTrue(out.toString().endsWith("OK" + System.lineSeparator()), out.toString());
    }
}
