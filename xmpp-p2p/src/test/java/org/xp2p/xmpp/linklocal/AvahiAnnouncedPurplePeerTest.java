package org.xp2p.xmpp.linklocal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xp2p.testbed.AvahiDaemon;
import org.xp2p.testbed.ChildJvm;
import org.xp2p.testbed.NetNs;
import org.xp2p.testbed.TestEnvironment;

/**
 * An ordinary XEP-0174 peer joins in: its presence is announced by a real Avahi daemon
 * (avahi-publish, as Pidgin does through Avahi) and it speaks libpurple's stream dialect
 * (headers without version, no features). Our device, in another namespace, discovers it,
 * opens a stream to it, and accepts the stream it opens back.
 */
class AvahiAnnouncedPurplePeerTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void deviceChatsBothWaysWithAPurpleStylePeerAnnouncedByAvahi() throws Exception {
        TestEnvironment.requireRoot();
        TestEnvironment.requireProgram("avahi-daemon", "avahi-daemon");
        Path dir = Files.createTempDirectory("xp2p-purple");
        try (NetNs ours = NetNs.create("pu"); NetNs theirs = NetNs.create("pp")) {
            NetNs.Veth veth = NetNs.link(ours, "10.76.0.1/24", theirs, "10.76.0.2/24");
            try (AvahiDaemon avahi = AvahiDaemon.start(theirs, veth.ifB(), dir.resolve("avahi"));
                 ChildJvm purple = ChildJvm.start("purple", theirs, PurpleStylePeerMain.class.getName(), List.of(),
                         List.of(veth.addressB(), "5298", "purple@pp"), dir.resolve("purple.log"));
                 ChildJvm alice = ChildJvm.start("alice", ours, DeviceMain.class.getName(), List.of(),
                         List.of("alice@pu", veth.addressA()), dir.resolve("alice.log"))) {
                purple.awaitPrefix("READY", BOUND);
                avahi.publish("purple@pp", "_presence._tcp", 5298, "txtvers=1", "1st=Purple", "last=", "port.p2pj=5298",
                        "status=avail", "node=libpurple", "ver=2.14", "vc=!");
                // Avahi also announces its IPv6 link-local address; the IPv4 one may come as an update
                String seen = alice.await(l -> (l.startsWith("PEER_ADDED purple@pp ") || l.startsWith("PEER_UPDATED purple@pp "))
                        && l.contains("/" + veth.addressB() + ":5298"), BOUND);
                assertTrue(seen.contains("node=libpurple"), seen);

                alice.send("send purple@pp hi purple");
                purple.await(l -> l.startsWith("RECEIVED ") && l.contains("<body>hi purple</body>"), BOUND);
                assertTrue(purple.output().contains("from='alice@pu'") && purple.output().contains("to='purple@pp'"),
                        purple.output());
                assertTrue(!purple.output().contains("<stream:features"), "no features for a version-less responder");
                purple.send("say <message to='alice@pu' from='purple@pp' type='chat'><body>hi alice</body></message>");
                alice.awaitPrefix("MESSAGE purple@pp LINK_LOCAL false hi alice", BOUND);

                // and a stream purple opens to us, from the address Avahi announced for it
                String port = alice.awaitPrefix("READY ", BOUND).split(" ")[2];
                purple.send("connect " + veth.addressA() + " " + port + " purple@pp alice@pu");
                purple.awaitPrefix("CONNECTED", BOUND);
                purple.await(l -> l.startsWith("RECEIVED ") && l.contains("from='alice@pu'") && !l.contains("version="),
                        BOUND);
                purple.send("say <message to='alice@pu' type='chat'><body>inbound from purple</body></message>");
                alice.awaitPrefix("MESSAGE purple@pp LINK_LOCAL false inbound from purple", BOUND);
            }
        }
    }
}
