package org.xp2p.samples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.testbed.TestEnvironment;

/**
 * The scenario of {@code xp2p demo cars}, run as the command runs it (real mDNS, links,
 * E2E and UDP DHT on 127.0.0.1), then checked from the ledger's records rather than
 * from its own verdict: who received which event, how often, and over which path.
 */
class CarsScenarioTest {

    @Test
    void throughTheBrokerTheOwnerGetsEventsOverDirectLinksAndTheSecurityCompanyThroughProsody() throws Exception {
        TestEnvironment.requireProgram("prosody", "prosody");
        try (ProsodyServer prosody = ProsodyServer.startOnLoopback()) {
            StringWriter console = new StringWriter();
            CarsScenario.Outcome outcome = CarsScenario.run(new CarsScenario.Settings(Duration.ofSeconds(6),
                    Duration.ofSeconds(1), 2026, 4, Optional.of(new InetSocketAddress(prosody.address(), prosody.port())),
                    ProsodyServer.DOMAIN), new PrintWriter(console, true));
            String shown = console.toString();
            DeliveryLedger.Verdict v = outcome.deliveries();
            assertTrue(outcome.ok(), String.join("\n", outcome.problems()) + "\n" + shown);
            assertTrue(v.eventsSent() >= 3, shown);
            assertEquals(Map.of("direct", v.eventsSent()), v.receivedByRecipientAndPath().get("owner"), shown);
            assertEquals(Map.of("broker", v.eventsSent()), v.receivedByRecipientAndPath().get("security"), shown);
            assertEquals(0, v.receivedBy("monitor"));
            // the cars never approved the monitor's subscription, so it has no keys to encrypt for them
            outcome.refusals().values().forEach(why -> assertTrue(why.contains("REQUIRE_E2E"), why));
            assertEquals(Set.of(Party.TOYOTA, Party.FORD), outcome.refusals().keySet());
        }
    }

    @Test
    void everyEventReachesExactlyTheOwnerAndTheSecurityCompanyAndTheMonitorOnlyReadsTraffic() throws Exception {
        StringWriter console = new StringWriter();
        CarsScenario.Outcome outcome = CarsScenario.run(
                CarsScenario.Settings.serverless(Duration.ofSeconds(8), 2026, 8),
                new PrintWriter(console, true));
        String shown = console.toString();

        DeliveryLedger.Verdict v = outcome.deliveries();
        // seed 2026: both cars speed in their first leg and the Ford parks in its second
        assertTrue(v.eventsSent() >= 3, shown);
        Map<String, Long> copies = v.receipts().stream()
                .collect(Collectors.groupingBy(r -> r.eventId() + " to " + r.recipient(), Collectors.counting()));
        assertEquals(2 * v.eventsSent(), copies.size(), "one entry per event and authorised party\n" + shown);
        assertTrue(copies.values().stream().allMatch(n -> n == 1), "each copy exactly once: " + copies);
        Set<String> recipients = v.receipts().stream().map(DeliveryLedger.Receipt::recipient).collect(Collectors.toSet());
        assertEquals(Set.of("owner", "security"), recipients, shown);
        assertEquals(0, v.receivedBy("monitor"));
        assertEquals(0, v.receivedBy("toyota") + v.receivedBy("ford"));
        // the owner is on the cars' LAN; the security company reached them through the DHT only
        assertEquals(Map.of("link-local", v.eventsSent()), v.receivedByRecipientAndPath().get("owner"));
        assertEquals(Map.of("direct", v.eventsSent()), v.receivedByRecipientAndPath().get("security"));

        assertEquals(Set.of(Party.TOYOTA, Party.FORD), outcome.refusals().keySet(), shown);
        outcome.refusals().values().forEach(why -> assertTrue(why.contains("allow-list"), why));

        assertEquals(2, outcome.carsSeenInDht(), shown);
        assertEquals(Set.of("E18", "Ring 3"), outcome.roads().stream().map(TrafficMonitor.RoadStats::road)
                .collect(Collectors.toSet()));
        assertTrue(outcome.ok(), String.join("\n", outcome.problems()));
        assertTrue(shown.contains("toyota    -> owner     link-local e2e"), shown);
        assertTrue(shown.contains("ford      -> security  direct     e2e"), shown);
        assertTrue(shown.contains("OK: every event reached exactly the owner and the security company"), shown);
    }
}
