package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xp2p.testbed.ChildJvm;
import org.xp2p.testbed.NatGateway;
import org.xp2p.testbed.TestEnvironment;

/**
 * Reachability through a real NAT: a home router in namespaces (lan -> gw -> wan, gw
 * masquerading and dropping new inbound datagrams, see {@link NatGateway}). Three serving
 * nodes and one AUTO node run on the wan side, another AUTO node on the lan side. The wan
 * AUTO node gets its dial-back and enters the servers' tables; the probes sent to the lan
 * node die at the router, so it stays a client only, out of every table, and still publishes
 * and looks up. Each side is a child JVM inside its namespace.
 */
class ReachabilityNamespaceTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void behindARealNatANodeStaysClientOnlyWhileAnOpenOneServes() throws Exception {
        TestEnvironment.requireRoot();
        Path dir = Files.createTempDirectory("xp2p-dht-reachability");
        String main = ReachabilityNamespaceMain.class.getName();
        try (NatGateway nat = NatGateway.build(dir)) {
            try (ChildJvm servers = ChildJvm.start("dht-servers", nat.wan(), main, List.of(),
                    List.of("servers", NatGateway.WAN_HOST, "3"), dir.resolve("servers.log"))) {
                String seeds = servers.awaitPrefix("READY ", BOUND).substring("READY ".length());
                String serversKey = servers.awaitPrefix("RECORD ", BOUND).substring("RECORD ".length());
                try (ChildJvm open = ChildJvm.start("dht-open", nat.wan(), main, List.of(),
                        List.of("auto", NatGateway.WAN_HOST, seeds, serversKey), dir.resolve("open.log"));
                     ChildJvm natted = ChildJvm.start("dht-natted", nat.lan(), main, List.of(),
                             List.of("auto", NatGateway.LAN_HOST, seeds, serversKey), dir.resolve("natted.log"))) {
                    String openId = open.awaitPrefix("ID ", BOUND).substring(3);
                    String nattedId = natted.awaitPrefix("ID ", BOUND).substring(3);

                    assertEquals("SERVES true", open.awaitPrefix("SERVES ", BOUND), open.output());
                    assertEquals("SERVES false", natted.awaitPrefix("SERVES ", BOUND), natted.output());

                    // Client only, it still publishes and finds what others published.
                    assertTrue(Integer.parseInt(natted.awaitPrefix("PUT ", BOUND).substring(4)) > 0, natted.output());
                    assertEquals("GOT " + serversKey + " true", natted.awaitPrefix("GOT ", BOUND), natted.output());
                    String nattedKey = natted.awaitPrefix("KEY ", BOUND).substring(4);
                    servers.send("get " + nattedKey);
                    assertEquals("GOT " + nattedKey + " true", servers.awaitPrefix("GOT " + nattedKey, BOUND));

                    // The open node announced itself once it knew; the natted one never entered a table.
                    String tables = "";
                    for (int i = 0; i < 50 && !tables.contains(openId); i++) {
                        servers.send("tables " + i);
                        tables = servers.awaitPrefix("TABLES " + i + " ", BOUND);
                        if (!tables.contains(openId)) {
                            Thread.sleep(100);
                        }
                    }
                    assertTrue(tables.contains(openId), "the open AUTO node is in no server's table: " + tables);
                    // Both AUTO nodes were dialled back: the natted one's probe was sent and died at the router.
                    servers.send("dialbacks");
                    assertTrue(Long.parseLong(servers.awaitPrefix("DIALBACKS ", BOUND).substring(10)) >= 2,
                            servers.output());
                    assertFalse(tables.contains(nattedId), "a server took the node behind the NAT: " + tables);
                }
            }
        }
    }
}
