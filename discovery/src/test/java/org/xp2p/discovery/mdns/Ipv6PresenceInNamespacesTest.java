package org.xp2p.discovery.mdns;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xp2p.testbed.ChildJvm;
import org.xp2p.testbed.NetNs;
import org.xp2p.testbed.TestEnvironment;

/**
 * mDNS presence over IPv6 only: two responders bound to IPv6 addresses in two namespaces
 * (joined by a veth pair the test creates) see each other's instance at its IPv6 address.
 */
class Ipv6PresenceInNamespacesTest {
    private static final Duration BOUND = Duration.ofSeconds(40);

    @Test
    void instanceAnnouncedOverIpv6IsResolvedToItsIpv6Address() throws Exception {
        TestEnvironment.requireRoot();
        Path dir = Files.createTempDirectory("xp2p-mdns6");
        try (NetNs a = NetNs.create("m6a"); NetNs b = NetNs.create("m6b")) {
            NetNs.Veth veth = NetNs.link(a, "10.74.0.1/24", b, "10.74.0.2/24");
            // nodad: usable at once, no duplicate-address-detection wait
            a.exec("ip", "-6", "addr", "add", "fd74::1/64", "dev", veth.ifA(), "nodad");
            b.exec("ip", "-6", "addr", "add", "fd74::2/64", "dev", veth.ifB(), "nodad");
            try (ChildJvm announcer = ChildJvm.start("announcer6", a, MdnsProbeMain.class.getName(), List.of(),
                    List.of("fd74::1", "six-a"), dir.resolve("a.log"));
                 ChildJvm browser = ChildJvm.start("browser6", b, MdnsProbeMain.class.getName(), List.of(),
                    List.of("fd74::2", "six-b"), dir.resolve("b.log"))) {
                announcer.awaitPrefix("READY", BOUND);
                browser.awaitPrefix("READY", BOUND);
                announcer.send("advertise juliet@six 5562");
                String seen = browser.await(l -> (l.startsWith("ADDED juliet@six ") || l.startsWith("UPDATED juliet@six "))
                        && l.contains("txtvers=1"), BOUND);
                assertTrue(seen.contains("fd74:0:0:0:0:0:0:1") || seen.contains("fd74::1"), seen);
                assertTrue(seen.contains("5562"), seen);
                assertTrue(!seen.contains("10.74.0.1"), "an IPv6 responder announces no IPv4 address: " + seen);
            }
        }
    }
}
