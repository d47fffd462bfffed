package org.xp2p.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PortMapper's own logic against a scriptable NAT-PMP server on 127.0.0.1: retransmission,
 * stray packets, a reboot noticed by the epoch and a new external port told to listeners, deletion
 * on close. Loopback only; the real gateways are in {@link MiniupnpdMappingTest}.
 */
class PortMapperLoopbackTest {
    private ScheduledExecutorService scheduler;
    private LoopbackNatPmpServer server;
    private final List<MappingStatus[]> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        server = new LoopbackNatPmpServer();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        scheduler.shutdownNow();
        assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS));
    }

    private PortMapper mapper(Duration checkInterval) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        PortMapperSettings settings = PortMapperSettings.on(loopback).gatewayAddress(loopback)
                .methods(MappingMethod.NAT_PMP).discoveryTimeout(Duration.ofSeconds(3))
                .checkInterval(checkInterval).retryInterval(Duration.ofMillis(300)).build();
        PortMapper m = new PortMapper(settings, scheduler, server.port());
        m.addListener((mapping, previous, current) -> changes.add(new MappingStatus[] {previous, current}));
        return m;
    }

    private static MappingRequest request() {
        return request(Duration.ofHours(1));
    }

    private static MappingRequest request(Duration lifetime) {
        return new MappingRequest(Protocol.TCP, 5000, 6000, lifetime, "xp2p loopback");
    }

    @Test
    void aLostRequestIsSentAgainAndStrayPacketsAreIgnored() {
        server.dropNext.set(2);
        server.strayFirst = true;
        try (PortMapper m = mapper(Duration.ofHours(1))) {
            MappingStatus s = m.map(request()).status();
            assertEquals(MappingState.REACHABLE, s.state(), s.toString());
            assertEquals(6000, s.current().externalPort());
            assertTrue(server.requests().get(0).startsWith("dropped"), server.requests().toString());
        }
    }

    @Test
    void renewNowRenewsOnTheSpotWithoutChangingTheEndpoint() {
        try (PortMapper m = mapper(Duration.ofHours(1))) {
            PortMapping mapping = m.map(request());
            MappingStatus before = mapping.status();
            MappingStatus after = mapping.renewNow();
            assertEquals(1, mapping.renewals());
            assertEquals(before.current().externalPort(), after.current().externalPort());
            assertEquals(2, server.requests().stream().filter(r -> r.equals("map 2 5000 6000 3600")).count(),
                    "the renewal asks for the port it holds: " + server.requests());
            assertEquals(1, changes.size(), "a renewal is not a change of endpoint");
        }
    }

    @Test
    void aRefusedRenewalLeadsToAFreshMapping() throws Exception {
        try (PortMapper m = mapper(Duration.ofHours(1))) {
            PortMapping mapping = m.map(request(Duration.ofSeconds(2)));
            server.refuseNext.set(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (mapping.restorations() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, mapping.restorations(), server.requests().toString());
            assertTrue(server.requests().contains("refused"));
            assertEquals(MappingState.REACHABLE, mapping.status().state());
            assertEquals(6000, mapping.status().current().externalPort());
        }
    }

    @Test
    void aRebootSeenInTheEpochIsRepairedAndTheNewEndpointIsToldToListeners() throws Exception {
        try (PortMapper m = mapper(Duration.ofMillis(300))) {
            PortMapping mapping = m.map(request());
            assertEquals(1, changes.size());
            assertNull(changes.get(0)[0]);
            assertEquals(6000, changes.get(0)[1].current().externalPort());

            server.reboot();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (mapping.restorations() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, mapping.restorations(), "the epoch reset was noticed: " + server.requests());
            assertEquals(0, mapping.renewals());
            assertEquals(2, changes.size(), "listeners hear of the new endpoint once");
            assertEquals(6000, changes.get(1)[0].current().externalPort());
            assertEquals(6001, changes.get(1)[1].current().externalPort());
            assertEquals(6001, mapping.status().current().externalPort());
        }
        assertTrue(server.requests().contains("map 2 5000 0 0"), "deleted on close: " + server.requests());
        assertEquals(MappingState.CLOSED, changes.get(changes.size() - 1)[1].state());
    }
}
