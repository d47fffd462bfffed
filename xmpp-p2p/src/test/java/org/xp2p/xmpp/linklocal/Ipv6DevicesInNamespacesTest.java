package org.xp2p.xmpp.linklocal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xp2p.testbed.ChildJvm;
import org.xp2p.testbed.NetNs;
import org.xp2p.testbed.TestEnvironment;

/** Two devices on IPv6 addresses only, in two namespaces: mDNS over IPv6 and a link-local stream over IPv6. */
class Ipv6DevicesInNamespacesTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void devicesOnIpv6FindEachOtherAndChat() throws Exception {
        TestEnvironment.requireRoot();
        Path dir = Files.createTempDirectory("xp2p-devices6");
        try (NetNs a = NetNs.create("d6a"); NetNs b = NetNs.create("d6b")) {
            NetNs.Veth veth = NetNs.link(a, "10.75.0.1/24", b, "10.75.0.2/24");
            a.exec("ip", "-6", "addr", "add", "fd75::1/64", "dev", veth.ifA(), "nodad");
            b.exec("ip", "-6", "addr", "add", "fd75::2/64", "dev", veth.ifB(), "nodad");
            try (ChildJvm alice = ChildJvm.start("alice6", a, DeviceMain.class.getName(), List.of(),
                    List.of("alice@six", "fd75::1"), dir.resolve("alice.log"));
                 ChildJvm bob = ChildJvm.start("bob6", b, DeviceMain.class.getName(), List.of(),
                    List.of("bob@six", "fd75::2"), dir.resolve("bob.log"))) {
                alice.await(l -> l.startsWith("PEER_ADDED bob@six ") && l.contains("[fd75:0:0:0:0:0:0:2]:"), BOUND);
                bob.await(l -> l.startsWith("PEER_ADDED alice@six ") && l.contains("[fd75:0:0:0:0:0:0:1]:"), BOUND);
                alice.send("send bob@six over six");
                bob.awaitPrefix("MESSAGE alice@six LINK_LOCAL false over six", BOUND);
                bob.send("send alice@six and back");
                alice.awaitPrefix("MESSAGE bob@six LINK_LOCAL false and back", BOUND);
            }
        }
    }
}
