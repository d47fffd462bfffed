package org.xp2p.xmpp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xp2p.testbed.ChildJvm;
import org.xp2p.testbed.NetNs;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.testbed.TestEnvironment;

/**
 * Two devices on two hosts (network namespaces) with distinct local and external
 * addresses, and Prosody on a third, routing, host:
 * <pre>
 *   a [10.77.0.1]------lan veth------[10.77.0.2] b          local addresses
 *   a [10.99.1.2]--net [10.99.1.1 Prosody, 10.99.2.1]--[10.99.2.2] b   external addresses
 * </pre>
 * Behind different gateways (different external IPs) the link runs between external
 * addresses through net; once both publish the same external IP it runs over the lan veth.
 * Then 3,000 messages while the lan veth is taken down and up again: all arrive once, in
 * order per path, the broker carrying what the dead link could not.
 */
class DevicesInNamespacesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            try {
                cleanup.get(i).close();
            } catch (Exception e) {
                // keep cleaning
            }
        }
    }

    private <T extends AutoCloseable> T owned(T c) {
        cleanup.add(c);
        return c;
    }

    @Test
    void bothAddressChoicesWorkAndALinkCutByTakingTheVethDownLosesNothing() throws Exception {
        TestEnvironment.requireRoot();
        NetNs net = owned(NetNs.create("net"));
        NetNs a = owned(NetNs.create("a"));
        NetNs b = owned(NetNs.create("b"));
        NetNs.link(net, "10.99.1.1/24", a, "10.99.1.2/24");
        NetNs.link(net, "10.99.2.1/24", b, "10.99.2.2/24");
        NetNs.Veth lan = NetNs.link(a, "10.77.0.1/24", b, "10.77.0.2/24");
        net.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        a.exec("ip", "route", "add", "default", "via", "10.99.1.1");
        b.exec("ip", "route", "add", "default", "via", "10.99.2.1");
        ProsodyServer prosody = owned(ProsodyServer.start(net, "10.99.1.1", 5222));

        Path logs = Path.of("target", "namespace-devices");
        ChildJvm devA = owned(ChildJvm.start("a", a, DeviceNode.class.getName(), List.of(),
                List.of("alice", "10.99.1.1", "5222", "10.77.0.1", "10.99.1.2", "bob@localhost"), logs.resolve("a.log")));
        devA.awaitPrefix("READY", WAIT);
        ChildJvm devB = owned(ChildJvm.start("b", b, DeviceNode.class.getName(), List.of(),
                List.of("bob", "10.99.1.1", "5222", "10.77.0.2", "10.99.2.2", "alice@localhost"), logs.resolve("b.log")));
        devB.awaitPrefix("READY", WAIT);
        String alice = "alice@localhost/dev";
        String bob = "bob@localhost/dev";

        devA.send("subscribe bob@localhost");
        devA.send("wait-peer " + bob);
        devB.send("wait-peer " + alice);
        devA.awaitPrefix("PEER " + bob, WAIT);
        devB.awaitPrefix("PEER " + alice, WAIT);

        // Different external IPs: the link runs between external addresses, through net.
        devA.send("request " + bob);
        assertEquals("RESPONSE result DIRECT_LINK", devA.awaitPrefix("RESPONSE", WAIT));
        devA.send("link " + bob);
        assertEquals("LINK 10.99.2.2 OUTBOUND", devA.awaitPrefix("LINK", WAIT));
        devB.send("link " + alice);
        assertEquals("LINK 10.99.1.2 INBOUND", devB.awaitPrefix("LINK", WAIT));

        // Same external IP (bob now publishes alice's): the link runs over the lan veth.
        devB.send("external 10.99.1.2");
        devA.send("wait-peer " + bob + " 10.99.1.2");
        devA.awaitPrefix("PEER " + bob + " ext=/10.99.1.2", WAIT);
        devA.send("closelinks");
        devA.awaitPrefix("CLOSED", WAIT);
        devB.send("closelinks");
        devB.awaitPrefix("CLOSED", WAIT);
        devA.send("request " + bob);
        devA.await(l -> count(devA.output(), "RESPONSE result DIRECT_LINK") == 2, WAIT);
        devA.send("link " + bob);
        devA.await(l -> l.startsWith("LINK 10.77.0.2"), WAIT);
        devB.send("link " + alice);
        devB.await(l -> l.startsWith("LINK 10.77.0.1 INBOUND"), WAIT);

        // 3,000 messages; the lan veth goes down for a while in the middle of them.
        devA.send("send " + bob + " 3000 cut");
        waitForCount(devB, "cut", 500);
        lan.down();
        Thread.sleep(8_000);
        lan.up();
        String sent = devA.await(l -> l.startsWith("SENT cut"), Duration.ofSeconds(180));
        assertTrue(sent.contains("ok=3000 failed=0"), sent);
        devB.send("report cut");
        String report = devB.awaitPrefix("REPORT cut", WAIT);
        Matcher m = Pattern.compile("count=(\\d+) distinct=(\\d+) ordered=(\\w+) direct=(\\d+) broker=(\\d+)").matcher(report);
        assertTrue(m.find(), report);
        assertEquals(3000, Integer.parseInt(m.group(1)), report);
        assertEquals(3000, Integer.parseInt(m.group(2)), report);
        assertEquals("true", m.group(3), report);
        assertTrue(Integer.parseInt(m.group(4)) > 0 && Integer.parseInt(m.group(5)) > 0,
                "both paths carried messages: " + report);
        devA.send("quit");
        devB.send("quit");
        devA.awaitPrefix("BYE", WAIT);
        devB.awaitPrefix("BYE", WAIT);
    }

    private static void waitForCount(ChildJvm node, String tag, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            int before = count(node.output(), "COUNT " + tag);
            node.send("count " + tag);
            node.await(l -> count(node.output(), "COUNT " + tag) > before, WAIT);
            String[] lines = node.output().split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (lines[i].startsWith("COUNT " + tag + " ")) {
                    if (Integer.parseInt(lines[i].substring(("COUNT " + tag + " ").length()).trim()) >= atLeast) {
                        return;
                    }
                    break;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("fewer than " + atLeast + " '" + tag + "' messages arrived");
    }

    private static int count(String output, String prefix) {
        int n = 0;
        for (String line : output.split("\n")) {
            if (line.startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }
}
