package org.xp2p.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultGatewayTest {
    private static final List<String> ROUTES = List.of(
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
            "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0",
            "veth1\t004DA8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
            "veth1\t00000000\t014DA8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0");

    @Test
    void readsTheDefaultRouteOfTheGivenInterfaceOnly() throws Exception {
        assertEquals(InetAddress.getByName("192.168.77.1"), DefaultGateway.parse(ROUTES, "veth1").orElseThrow());
        assertEquals(InetAddress.getByName("192.168.1.1"), DefaultGateway.parse(ROUTES, "eth0").orElseThrow());
    }

    @Test
    void noDefaultRouteOnTheInterfaceMeansNone() {
        assertTrue(DefaultGateway.parse(ROUTES, "wlan0").isEmpty());
        assertTrue(DefaultGateway.parse(ROUTES.subList(0, 1), "eth0").isEmpty());
        assertTrue(DefaultGateway.parse(List.of(), "eth0").isEmpty());
    }
}
