package org.xp2p.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.xp2p.testbed.NatGateway;

/**
 * Each protocol against a real miniupnpd on a router in namespaces (lan -> gw -> wan): the device
 * (a child JVM in lan) maps its ports, a host on the wan side reaches them through the router's WAN
 * address, short leases are renewed, a rebooted router gets the mapping back, a crashed device takes
 * its own mapping back, and closing leaves nothing on the router (checked with miniupnpc's upnpc and
 * the router's nftables).
 */
class MiniupnpdMappingTest {
    private static final Duration ANSWER = Duration.ofSeconds(30);
    private static final String OTHER = "someone-else";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} (IGDv1 description: {1})")
    @CsvSource({"PCP,false", "NAT_PMP,false", "UPNP_IGD,false", "UPNP_IGD,true"})
    void mapsReachableTcpAndUdpPortsRenewsShortLeasesAndLeavesNothingOnClose(MappingMethod method, boolean igdV1)
            throws Exception {
        try (NatGateway router = NatGateway.build(dir).startMiniupnpd(igdV1)) {
            // The port we prefer is held by another program's mapping: we must get a different one.
            router.mapForAnotherHost(17200, "TCP", OTHER);
            try (AgentProcess agent = AgentProcess.start(router.lan(), dir, NatGateway.LAN_HOST, method.name(), 3000,
                    60_000, 2000)) {
                agent.send("serve tcp 7200");
                agent.send("serve udp 7201");
                AgentStatus tcp = agent.ask("map t TCP 7200 17200 4 xp2p-test-tcp", "t", ANSWER);
                assertEquals(MappingState.REACHABLE, tcp.state(), agent.diagnostics());
                assertEquals(method.name(), tcp.method());
                assertEquals(NatGateway.DECLARED_EXTERNAL_IP, tcp.externalAddress());
                assertNotEquals(17200, tcp.externalPort(), "the preferred port belongs to someone else");
                AgentStatus udp = agent.ask("map u UDP 7201 17201 4 xp2p-test-udp", "u", ANSWER);
                assertEquals(MappingState.REACHABLE, udp.state(), agent.diagnostics());

                assertEquals("hello from lan 7200", router.tcpFromWan(tcp.externalPort()));
                assertEquals("hello from lan 7201", router.udpFromWan(udp.externalPort()));

                // A 4 s lease must be renewed again and again; after three lifetimes the port still works.
                AgentStatus renewed = agent.awaitStatus("t", s -> s.renewals() >= 3, Duration.ofSeconds(40),
                        "three renewals of a 4 s lease");
                assertEquals(tcp.externalPort(), renewed.externalPort());
                assertTrue(renewed.expiresAtMillis() > tcp.expiresAtMillis());
                agent.awaitStatus("u", s -> s.renewals() >= 3, Duration.ofSeconds(40), "three UDP renewals");
                assertEquals("hello from lan 7200", router.tcpFromWan(tcp.externalPort()));
                assertTrue(router.upnpcList().contains(tcp.externalPort() + "->" + NatGateway.LAN_HOST + ":7200"),
                        router.upnpcList());

                assertEquals(MappingState.CLOSED, agent.ask("close t", "t", ANSWER).state());
                assertEquals(MappingState.CLOSED, agent.ask("close u", "u", ANSWER).state());
                String rules = router.natRules();
                assertFalse(rules.contains("dport " + tcp.externalPort() + " "), rules);
                assertFalse(rules.contains("dport " + udp.externalPort() + " "), rules);
                String listing = router.upnpcList();
                assertFalse(listing.contains(NatGateway.LAN_HOST + ":7200"), listing);
                assertFalse(listing.contains(NatGateway.LAN_HOST + ":7201"), listing);
                assertTrue(listing.contains(OTHER), "someone else's mapping is not ours to delete: " + listing);
                assertThrows(IllegalStateException.class, () -> router.tcpFromWan(tcp.externalPort()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MappingMethod.class)
    void aRebootedRouterGetsTheMappingBackAndWanReachesItAgain(MappingMethod method) throws Exception {
        try (NatGateway router = NatGateway.build(dir).startMiniupnpd(false);
                AgentProcess agent = AgentProcess.start(router.lan(), dir, NatGateway.LAN_HOST, method.name(), 3000,
                        1000, 1000)) {
            agent.send("serve tcp 7300");
            // A long lease: what brings the mapping back is noticing the reboot, not a renewal.
            AgentStatus before = agent.ask("map r TCP 7300 17300 600 xp2p-test-reboot", "r", ANSWER);
            assertEquals(MappingState.REACHABLE, before.state(), agent.diagnostics());
            assertEquals("hello from lan 7300", router.tcpFromWan(before.externalPort()));
            Thread.sleep(3000); // let the gateway's epoch run for a while, so that a reset is visible

            // A reboot: stopped with its chains flushed (checked while it is down, before the device can
            // put the mapping back), then started afresh.
            router.stopMiniupnpd();
            assertFalse(router.natRules().contains("dport " + before.externalPort() + " "), "the reboot forgot it");
            router.startMiniupnpd(false);

            AgentStatus after = agent.awaitStatus("r", s -> s.restorations() >= 1, Duration.ofSeconds(30),
                    "mapping restored after the router's reboot");
            assertEquals(MappingState.REACHABLE, after.state());
            assertEquals(0, after.renewals(), "restored by noticing the reboot, not by a renewal");
            assertTrue(router.natRules().contains("dport " + after.externalPort() + " "), router.natRules());
            assertEquals("hello from lan 7300", router.tcpFromWan(after.externalPort()));
        }
    }

    @ParameterizedTest
    @EnumSource(MappingMethod.class)
    void aDeviceRestartedAfterACrashTakesItsOwnMappingBack(MappingMethod method) throws Exception {
        try (NatGateway router = NatGateway.build(dir).startMiniupnpd(false)) {
            router.mapForAnotherHost(17400, "TCP", OTHER);
            int first;
            try (AgentProcess agent = AgentProcess.start(router.lan(), dir, NatGateway.LAN_HOST, method.name(), 3000,
                    60_000, 1000)) {
                AgentStatus s = agent.ask("map c TCP 7400 17400 300 xp2p-test-crash", "c", ANSWER);
                assertEquals(MappingState.REACHABLE, s.state(), agent.diagnostics());
                first = s.externalPort();
                assertNotEquals(17400, first);
                agent.crash();
            }
            assertTrue(router.natRules().contains("dport " + first + " "), "a crash deletes nothing");
            try (AgentProcess agent = AgentProcess.start(router.lan(), dir, NatGateway.LAN_HOST, method.name(), 3000,
                    60_000, 1000)) {
                agent.send("serve tcp 7400");
                AgentStatus s = agent.ask("map c TCP 7400 17400 300 xp2p-test-crash", "c", ANSWER);
                assertEquals(MappingState.REACHABLE, s.state(), agent.diagnostics());
                assertEquals(first, s.externalPort(), "the earlier mapping is ours and is reused");
                String rules = router.natRules();
                assertEquals(1, rules.split(NatGateway.LAN_HOST + ":7400", -1).length - 1,
                        "exactly one mapping leads to our port: " + rules);
                assertEquals("hello from lan 7400", router.tcpFromWan(first));
                agent.exit(ANSWER);
            }
            assertFalse(router.natRules().contains(NatGateway.LAN_HOST + ":7400"), router.natRules());
        }
    }
}
