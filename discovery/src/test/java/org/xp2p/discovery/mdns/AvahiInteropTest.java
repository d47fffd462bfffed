package org.xp2p.discovery.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xp2p.testbed.AvahiDaemon;
import org.xp2p.testbed.ChildJvm;
import org.xp2p.testbed.NetNs;
import org.xp2p.testbed.TestEnvironment;

/**
 * Our mDNS presence against a real Avahi daemon: ours runs in a child JVM in one
 * namespace, avahi-daemon in another, over a veth pair the test creates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AvahiInteropTest {
    private static final Duration BOUND = Duration.ofSeconds(40);

    private NetNs ours;
    private NetNs theirs;
    private AvahiDaemon avahi;
    private ChildJvm probe;
    private String ourAddress;
    private String avahiAddress;

    @BeforeAll
    void start() throws Exception {
        TestEnvironment.requireRoot();
        TestEnvironment.requireProgram("avahi-daemon", "avahi-daemon");
        Path dir = Files.createTempDirectory("xp2p-avahi");
        try {
            ours = NetNs.create("mo");
            theirs = NetNs.create("ma");
            NetNs.Veth veth = NetNs.link(ours, "10.71.0.1/24", theirs, "10.71.0.2/24");
            ourAddress = veth.addressA();
            avahiAddress = veth.addressB();
            avahi = AvahiDaemon.start(theirs, veth.ifB(), dir.resolve("avahi"));
            probe = ChildJvm.start("probe", ours, MdnsProbeMain.class.getName(), List.of(),
                    List.of(ourAddress, "ours"), dir.resolve("probe.log"));
            probe.awaitPrefix("READY", BOUND);
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        if (probe != null) {
            probe.close();
        }
        if (avahi != null) {
            avahi.close();
        }
        if (ours != null) {
            ours.close();
        }
        if (theirs != null) {
            theirs.close();
        }
    }

    @Test
    void avahiSeesOurInstanceWithTheExactTxtKeysAndSrvPort() throws Exception {
        probe.send("advertise juliet@ours 5562");
        probe.awaitPrefix("ADVERTISED juliet@ours ", BOUND);
        Map<String, String> txt = awaitAvahiRecord("juliet@ours", "5562");
        assertEquals(List.of("txtvers", "status", "1st", "last", "port.p2pj", "jid", "nick", "msg", "node", "hash", "ver")
                .stream().sorted().toList(), txt.keySet().stream().sorted().toList(), txt.toString());
        assertEquals("1", txt.get("txtvers"));
        assertEquals("avail", txt.get("status"));
        assertEquals("5562", txt.get("port.p2pj"));
        assertEquals("Juliet", txt.get("1st"));
        assertEquals("on the balcony", txt.get("msg"));
        assertEquals("juliet@example.org", txt.get("jid"));
    }

    @Test
    void ourBrowserSeesAvahiPublishedInstancesIncludingAnEmptyTxtRecord() {
        avahi.publish("carol@avahi", "_presence._tcp", 5299, "txtvers=1", "status=dnd", "msg=busy");
        avahi.publish("empty@avahi", "_presence._tcp", 5300);
        String carol = probe.await(l -> (l.startsWith("ADDED carol@avahi ") || l.startsWith("UPDATED carol@avahi "))
                && l.contains("status=dnd"), BOUND);
        assertTrue(carol.contains("/" + avahiAddress + ":5299"), carol);
        assertTrue(carol.contains("txtvers=1") && carol.contains("msg=busy"), carol);
        String empty = probe.awaitPrefix("ADDED empty@avahi ", BOUND);
        assertTrue(empty.contains("/" + avahiAddress + ":5300"), empty);
        assertTrue(empty.endsWith("{}"), "an empty TXT record gives no attributes: " + empty);
    }

    @Test
    void ipv6LinkLocalAddressAvahiAnnouncesComesWithOurInterfaceAsScope() {
        avahi.publish("scoped@avahi", "_presence._tcp", 5303, "txtvers=1");
        // Avahi announces its fe80:: address too; without a scope it could not be connected to
        String line = probe.await(l -> (l.startsWith("ADDED scoped@avahi ") || l.startsWith("UPDATED scoped@avahi "))
                && l.contains("[fe80:"), BOUND);
        String v6 = line.substring(line.indexOf("[fe80:"), line.indexOf(']', line.indexOf("[fe80:")));
        assertTrue(v6.contains("%"), "link-local address without scope: " + line);
    }

    /**
     * We advertise right after Avahi established the name, so the conflict may show up only
     * while jmDNS probes; the probe prints the name that won once probing is over.
     */
    @Test
    void nameTakenOnAvahiIsRenamedWithMinusOneAndTheNameWeGaveUpIsAvahis() {
        avahi.publish("romeo@shared", "_presence._tcp", 5301, "txtvers=1");
        probe.send("advertise romeo@shared 5302");
        String line = probe.awaitPrefix("ADVERTISED romeo@", BOUND);
        assertTrue(line.startsWith("ADVERTISED romeo@shared-1 "), line);
        awaitAvahiRecord("romeo@shared-1", "5302");
        String avahis = probe.await(l -> l.startsWith("ADDED romeo@shared ") || l.startsWith("UPDATED romeo@shared "), BOUND);
        assertTrue(avahis.contains("/" + avahiAddress + ":5301"), avahis);
        // our own announcement has reached Avahi; one more Avahi service later, our browser
        // has had every chance to report our renamed instance as a peer, which it must not
        avahi.publish("marker@avahi", "_presence._tcp", 5304);
        probe.awaitPrefix("ADDED marker@avahi ", BOUND);
        assertTrue(probe.output().lines().noneMatch(l -> l.startsWith("ADDED romeo@shared-1 ")), probe.output());
    }

    /** Polls avahi-browse until it resolved {@code instance} on {@code port}; returns its TXT. */
    private Map<String, String> awaitAvahiRecord(String instance, String port) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = avahi.browse("_presence._tcp");
            for (String line : last.split("\n")) {
                List<String> f = fields(line);
                if (f.size() >= 10 && f.get(0).equals("=") && unescape(f.get(3)).equals(instance)) {
                    assertEquals(port, f.get(8), line);
                    return txt(f.get(9));
                }
            }
        }
        throw new AssertionError("avahi-browse did not resolve " + instance + " within " + BOUND + ":\n" + last);
    }

    private static List<String> fields(String line) {
        List<String> f = new ArrayList<>(List.of(line.split(";", 10)));
        return f;
    }

    /** avahi-browse -p escapes names as \DDD (decimal). */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() + 0 && s.substring(i + 1, i + 4).chars().allMatch(Character::isDigit)) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4)));
                i += 3;
            } else if (c == '\\' && i + 1 < s.length()) {
                out.append(s.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code "a=1" "b=2"} into a map. */
    static Map<String, String> txt(String field) {
        Map<String, String> map = new LinkedHashMap<>();
        int i = 0;
        while ((i = field.indexOf('"', i)) >= 0) {
            int end = field.indexOf('"', i + 1);
            String pair = field.substring(i + 1, end);
            int eq = pair.indexOf('=');
            map.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            i = end + 1;
        }
        return map;
    }

}
