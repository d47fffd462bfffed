package org.xp2p.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xp2p.testbed.Daemon;
import org.xp2p.testbed.NatGateway;

/**
 * Gateways that do not cooperate: none at all, one that talks nonsense, one that never answers,
 * and one that is itself behind carrier-grade NAT. The device (a child JVM in the lan namespace)
 * must end with a clear status in bounded time and stay usable.
 */
class MisbehavingGatewayTest {
    private static final String ALL = "PCP,NAT_PMP,UPNP_IGD";
    /** A hang guard, not a speed claim: three methods at 1.5 s each finish well inside it. */
    private static final Duration ANSWER = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void noGatewayGivesAClearStatusNamingEveryMethodAndAGatewayThatAppearsLaterIsUsed() throws Exception {
        try (NatGateway router = NatGateway.build(dir);
                AgentProcess agent = AgentProcess.start(router.lan(), dir, NatGateway.LAN_HOST, ALL, 1500, 60_000,
                        1000)) {
            AgentStatus s = agent.ask("map n TCP 7500 17500 60 xp2p-test-none", "n", ANSWER);
            assertEquals(MappingState.NO_GATEWAY, s.state(), agent.diagnostics());
            for (String method : List.of("PCP:", "NAT_PMP:", "UPNP_IGD:")) {
                assertTrue(s.problems().contains(method), "status names " + method + ": " + s.problems());
            }
            assertTrue(s.problems().contains("no Internet gateway answered SSDP"), s.problems());

            router.startMiniupnpd(false);
            AgentStatus later = agent.awaitStatus("n", st -> st.state() == MappingState.REACHABLE,
                    Duration.ofSeconds(30), "mapped once a gateway appeared");
            assertEquals("PCP", later.method(), "the first method in the default order");
            assertTrue(router.natRules().contains("dport " + later.externalPort() + " "), router.natRules());
        }
    }

    @Test
    void aRouterThatSilentlyDropsEveryRequestGivesNoGatewayAndNatPmpIsNotWaitedForTwice() throws Exception {
        try (NatGateway router = NatGateway.build(dir)) {
            // No ICMP "port unreachable" to shortcut the wait: requests vanish, as behind a strict firewall.
            router.gw().exec("nft", "add", "table", "inet", "silent");
            router.gw().exec("nft", "add", "chain", "inet", "silent", "input",
                    "{ type filter hook input priority 0; policy accept; }");
            router.gw().exec("nft", "add", "rule", "inet", "silent", "input", "udp", "dport", "{ 1900, 5351 }", "drop");
            try (AgentProcess agent = AgentProcess.start(router.lan(), dir, NatGateway.LAN_HOST, ALL, 1500, 60_000,
                    60_000)) {
                AgentStatus s = agent.ask("map s TCP 7550 0 60 xp2p-test-silent", "s", ANSWER);
                assertEquals(MappingState.NO_GATEWAY, s.state(), agent.diagnostics());
                assertTrue(s.problems().contains("PCP: map: no answer from " + NatGateway.GW_LAN), s.problems());
                assertTrue(s.problems().contains("NAT_PMP: skipped"), s.problems());
                assertTrue(s.problems().contains("UPNP_IGD: no Internet gateway answered SSDP"), s.problems());
            }
        }
    }

    @Test
    void aGatewayAnsweringGarbageGivesErrorsForEveryMethodAndTheDeviceCarriesOn() throws Exception {
        try (NatGateway router = NatGateway.build(dir);
                Daemon fake = startFake(router, "garbage");
                AgentProcess agent = AgentProcess.start(router.lan(), dir, NatGateway.LAN_HOST, ALL, 1500, 60_000,
                        60_000)) {
            AgentStatus s = agent.ask("map g TCP 7600 17600 60 xp2p-test-garbage", "g", ANSWER);
            assertEquals(MappingState.FAILED, s.state(), agent.diagnostics() + "\nfake:\n" + fake.log());
            assertTrue(s.problems().contains("PCP:") && s.problems().contains("NAT_PMP:")
                    && s.problems().contains("UPNP_IGD:"), s.problems());
            assertTrue(s.problems().contains("not SOAP"), s.problems());
            // Still alive and answering: a second request gets the same clear answer.
            assertEquals(MappingState.FAILED, agent.ask("map h UDP 7601 0 60 xp2p-test-garbage", "h", ANSWER).state());
            agent.exit(ANSWER);
        }
    }

    @Test
    void aControlUrlThatNeverAnswersEndsInAnErrorAfterTheRequestTimeout() throws Exception {
        try (NatGateway router = NatGateway.build(dir);
                Daemon fake = startFake(router, "hang");
                AgentProcess agent = AgentProcess.start(router.lan(), dir, NatGateway.LAN_HOST, "UPNP_IGD", 1500,
                        60_000, 60_000)) {
            AgentStatus s = agent.ask("map w TCP 7700 17700 60 xp2p-test-hang", "w", ANSWER);
            assertEquals(MappingState.FAILED, s.state(), agent.diagnostics());
            assertTrue(s.problems().contains("timed out"), s.problems());
            agent.exit(ANSWER);
        }
    }

    @Test
    void aSoapAnswerWithAnExternalEntityIsRefusedAndTheEntityNeverFetched() throws Exception {
        try (NatGateway router = NatGateway.build(dir);
                Daemon fake = startFake(router, "xxe");
                AgentProcess agent = AgentProcess.start(router.lan(), dir, NatGateway.LAN_HOST, "UPNP_IGD", 1500,
                        60_000, 60_000)) {
            AgentStatus s = agent.ask("map e TCP 7650 17650 60 xp2p-test-xxe", "e", ANSWER);
            assertEquals(MappingState.FAILED, s.state(), agent.diagnostics());
            agent.exit(ANSWER);
            assertFalse(fake.log().contains("LEAK"), "a gateway's SOAP answer made us fetch a URL:\n" + fake.log());
        }
    }

    @Test
    void aGatewayBehindCarrierGradeNatIsMappedButReportedAsNotPublic() throws Exception {
        try (NatGateway router = NatGateway.build(dir);
                Daemon fake = startFake(router, "cgnat");
                AgentProcess agent = AgentProcess.start(router.lan(), dir, NatGateway.LAN_HOST, ALL, 1500, 60_000,
                        60_000)) {
            AgentStatus s = agent.ask("map x TCP 7800 17800 60 xp2p-test-cgnat", "x", ANSWER);
            assertEquals(MappingState.NOT_PUBLIC, s.state(), agent.diagnostics());
            assertEquals("NAT_PMP", s.method(), "PCP was refused as unsupported, NAT-PMP worked");
            assertEquals(FakeGateway.CGNAT_EXTERNAL, s.externalAddress());
            assertTrue(s.problems().contains("CARRIER_GRADE_NAT"), s.problems());
            assertFalse(s.problems().contains("UPNP_IGD"), "UPnP was never needed: " + s.problems());
        }
    }

    private Daemon startFake(NatGateway router, String mode) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String gwLanInterface = router.gw().exec("ip", "-o", "-4", "addr", "show", "to", NatGateway.GW_LAN)
                .trim().split("\\s+")[1];
        Daemon fake = Daemon.start("fake gateway", router.gw().inside(java, "-cp",
                System.getProperty("java.class.path"), FakeGateway.class.getName(), mode, NatGateway.GW_LAN,
                gwLanInterface), dir.resolve("fake-" + mode + ".log"));
        fake.awaitLog("fake gateway ready", Duration.ofSeconds(30));
        return fake;
    }
}
