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
 * Then 10,000 messages while the link is cut five times (the lan veth taken down for a
 * while, one end's socket reset): all arrive once, in order per path, the broker carrying
 * what the dead links could not.
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
    void bothAddressChoicesWorkAndLinksCutByVethDownOrSocketResetLoseNothing() throws Exception {
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

        // 10,000 messages; the link is cut five times with stanzas in flight: the lan veth
        // goes down (alice gives up on the silent link after the receipt timeout and resets
        // it; bob's end either times out or is reset when the veth is back), or one end resets
        // its socket as a crash would (TCP RST, no stream end).
        long linksBefore = linksOpened(ask(devA, "stats", "STATS"));
        int total = 10_000;
        int limit = 0;
        devA.send("send " + bob + " " + total + " cut " + limit);
        Cut[] cuts = {Cut.VETH_DOWN_4S, Cut.RECEIVER_ABORTS, Cut.VETH_DOWN_7S, Cut.SENDER_ABORTS, Cut.VETH_DOWN_4S};
        for (Cut cut : cuts) {
            awaitDirectLink(devA, bob);
            limit += 1_500;
            devA.send("allow " + limit);
            waitForCount(devB, "cut", limit - 700); // the link carries them, some are in flight
            switch (cut) {
                case VETH_DOWN_4S, VETH_DOWN_7S -> {
                    lan.down();
                    Thread.sleep(cut == Cut.VETH_DOWN_4S ? 4_000 : 7_000);
                    lan.up();
                }
                case SENDER_ABORTS -> {
                    assertEquals("ABORTED " + bob + " yes", ask(devA, "abort " + bob, "ABORTED"));
                }
                case RECEIVER_ABORTS -> {
                    assertEquals("ABORTED " + alice + " yes", ask(devB, "abort " + alice, "ABORTED"));
                }
            }
        }
        awaitDirectLink(devA, bob); // the rest go mostly direct again
        devA.send("allow " + total);
        String sent = devA.await(l -> l.startsWith("SENT cut"), Duration.ofSeconds(180));
        assertTrue(sent.contains("ok=" + total + " failed=0"), sent);
        String stats = ask(devA, "stats", "STATS");
        assertTrue(linksOpened(stats) >= linksBefore + cuts.length, "a new link after each cut: " + stats);
        devB.send("report cut");
        String report = devB.awaitPrefix("REPORT cut", WAIT);
        Matcher m = Pattern.compile("count=(\\d+) distinct=(\\d+) ordered=(\\w+) direct=(\\d+) broker=(\\d+)").matcher(report);
        assertTrue(m.find(), report);
        assertEquals(total, Integer.parseInt(m.group(1)), report);
        assertEquals(total, Integer.parseInt(m.group(2)), report);
        assertEquals("true", m.group(3), report);
        assertTrue(Integer.parseInt(m.group(4)) > 0 && Integer.parseInt(m.group(5)) > 0,
                "both paths carried messages: " + report);
        devA.send("quit");
        devB.send("quit");
        devA.awaitPrefix("BYE", WAIT);
        devB.awaitPrefix("BYE", WAIT);
    }

    private enum Cut { VETH_DOWN_4S, VETH_DOWN_7S, SENDER_ABORTS, RECEIVER_ABORTS }

    /** Pings {@code peer} until a ping goes over the direct link (each ping may open one). */
    private static void awaitDirectLink(ChildJvm node, String peer) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (ask(node, "request " + peer, "RESPONSE").equals("RESPONSE result DIRECT_LINK")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no direct link to " + peer + " within " + WAIT);
    }

    /** Sends {@code command} and returns the next line starting with {@code prefix} (or ERROR). */
    private static String ask(ChildJvm node, String command, String prefix) {
        int before = count(node.output(), prefix) + count(node.output(), "ERROR");
        node.send(command);
        node.await(l -> count(node.output(), prefix) + count(node.output(), "ERROR") > before, WAIT);
        String error = lastLine(node.output(), "ERROR");
        if (error.startsWith("ERROR " + command)) {
            throw new AssertionError(error);
        }
        return lastLine(node.output(), prefix);
    }

    private static String lastLine(String output, String prefix) {
        String[] lines = output.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith(prefix)) {
                return lines[i];
            }
        }
        return "";
    }

    private static long linksOpened(String stats) {
        Matcher m = Pattern.compile("linksOpened=(\\d+)").matcher(stats);
        if (!m.find()) {
            throw new AssertionError("no linksOpened in " + stats);
        }
        return Long.parseLong(m.group(1));
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
