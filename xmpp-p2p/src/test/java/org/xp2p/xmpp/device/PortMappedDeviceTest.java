package org.xp2p.xmpp.device;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xp2p.testbed.ChildJvm;
import org.xp2p.testbed.NatGateway;
import org.xp2p.testbed.ProsodyServer;

/**
 * A device behind a real home router (miniupnpd on gw, lan -> gw -> wan namespaces) maps
 * its link port with the port mapper, publishes the mapped endpoint in its {@code <p2p/>},
 * and a contact on the wan side sees it there; the mapped port leads to the device's link
 * server; closing the device deletes the mapping on the router. Prosody runs on gw's WAN
 * address, which both sides reach.
 */
class PortMappedDeviceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aDeviceBehindAGatewayPublishesItsMappedLinkPortAndDeletesTheMappingOnClose() throws Exception {
        try (NatGateway router = NatGateway.build(dir).startMiniupnpd(false);
                ProsodyServer prosody = ProsodyServer.start(router.gw(), NatGateway.GW_WAN, 5222)) {
            Path logs = Path.of("target", "port-mapped-device");
            try (ChildJvm alice = ChildJvm.start("alice", router.lan(), DeviceNode.class.getName(), List.of(),
                            List.of("alice", NatGateway.GW_WAN, "5222", NatGateway.LAN_HOST, "-", "bob@localhost",
                                    "portmap"), logs.resolve("alice.log"))) {
                Matcher ready = Pattern.compile("port=(\\d+)").matcher(alice.awaitPrefix("READY", WAIT));
                assertTrue(ready.find());
                int linkPort = Integer.parseInt(ready.group(1));
                try (ChildJvm bob = ChildJvm.start("bob", router.wan(), DeviceNode.class.getName(), List.of(),
                        List.of("bob", NatGateway.GW_WAN, "5222", NatGateway.WAN_HOST, NatGateway.WAN_HOST,
                                "alice@localhost"), logs.resolve("bob.log"))) {
                    bob.awaitPrefix("READY", WAIT);
                    alice.send("subscribe bob@localhost");
                    bob.send("wait-peer alice@localhost/dev " + NatGateway.DECLARED_EXTERNAL_IP);
                    String peer = bob.awaitPrefix("PEER alice@localhost/dev", WAIT);
                    Matcher ext = Pattern.compile("ext=/" + Pattern.quote(NatGateway.DECLARED_EXTERNAL_IP)
                            + ":(\\d+) loc=\\[/" + Pattern.quote(NatGateway.LAN_HOST) + ":" + linkPort + "]").matcher(peer);
                    assertTrue(ext.find(), "bob sees alice's mapped endpoint and her own: " + peer);
                    int mapped = Integer.parseInt(ext.group(1));
                    String listing = router.upnpcList();
                    assertTrue(listing.contains(mapped + "->" + NatGateway.LAN_HOST + ":" + linkPort),
                            "the router holds the mapping alice published: " + listing);

                    // Through the mapping, from the wan side, a stream to alice reaches her link
                    // server, which refuses the stranger it does not know.
                    String answer = router.wan().exec("timeout", "10", "bash", "-c", "exec 3<>/dev/tcp/"
                            + NatGateway.GW_WAN + "/" + mapped + "; printf '%s' \"<stream:stream xmlns='jabber:client'"
                            + " xmlns:stream='http://etherx.jabber.org/streams' from='stranger@localhost/x'"
                            + " to='alice@localhost/dev' version='1.0'>\" >&3; head -c 4000 <&3");
                    assertTrue(answer.contains("from='alice@localhost/dev'") && answer.contains("invalid-from"), answer);

                    alice.send("quit");
                    alice.awaitPrefix("BYE", WAIT);
                    String after = router.upnpcList();
                    assertFalse(after.contains(NatGateway.LAN_HOST + ":" + linkPort),
                            "closing the device deleted its mapping: " + after);
                    bob.send("quit");
                    bob.awaitPrefix("BYE", WAIT);
                }
            }
        }
    }
}
