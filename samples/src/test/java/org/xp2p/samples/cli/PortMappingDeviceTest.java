package org.xp2p.samples.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.e2e.identity.IdentityKeyFile;
import org.xp2p.samples.Xp2pCommand;
import org.xp2p.testbed.ChildJvm;
import org.xp2p.testbed.NatGateway;

/**
 * {@code portmapping = on} behind a real home router (namespaces, nftables and miniupnpd):
 * {@code xp2p run} on the LAN maps its link port (TCP) and DHT port (UDP) on the gateway,
 * reports the external endpoints, and deletes both mappings when it stops.
 */
class PortMappingDeviceTest {
    private static final Pattern LINK_PORT = Pattern.compile("links on TCP " + Pattern.quote(NatGateway.LAN_HOST) + ":(\\d+)");

    @TempDir
    Path dir;

    @Test
    void runMapsItsPortsOnTheGatewayAndDeletesThemWhenItStops() throws Exception {
        SecureRandom random = new SecureRandom();
        IdentityKeyFile.write(dir.resolve("lan.key"), IdentityKey.generate(random), "pw".toCharArray(), random);
        Path pass = Cli.passcodeFile(dir, "pass", "pw");
        Path config = Files.writeString(dir.resolve("lan.cfg"), String.join("\n",
                "identity.file = lan.key",
                "jid = lan-device@home",
                "mode = serverless",
                "serverless.address = " + NatGateway.LAN_HOST,
                "dht.port = 0",
                "portmapping = on", ""));
        try (NatGateway router = NatGateway.build(dir.resolve("router")).startMiniupnpd(false);
             ChildJvm device = ChildJvm.start("lan-device", router.lan(), Xp2pCommand.class.getName(), List.of(),
                     List.of("run", "--config", config.toString(), "--passcode-file", pass.toString(), "--duration", "20"),
                     dir.resolve("lan-device.log"))) {
            String tcp = device.await(l -> l.contains("port mapping (TCP links): "), Duration.ofSeconds(40));
            assertTrue(tcp.contains("REACHABLE") && tcp.contains(" " + NatGateway.DECLARED_EXTERNAL_IP + ":"),
                    device.output());
            String udp = device.await(l -> l.contains("port mapping (UDP DHT): "), Duration.ofSeconds(20));
            assertTrue(udp.contains("REACHABLE"), device.output());
            Matcher m = LINK_PORT.matcher(device.output());
            assertTrue(m.find(), device.output());
            String mapped = NatGateway.LAN_HOST + ":" + m.group(1);
            assertTrue(router.natRules().contains(mapped), router.natRules());

            assertTrue(device.awaitExit(Duration.ofSeconds(60)), device.output());
            assertTrue(device.output().strip().endsWith("stopped"), device.output());
            assertFalse(router.natRules().contains(mapped), "the mapping outlived the device:\n" + router.natRules());
        }
    }
}
