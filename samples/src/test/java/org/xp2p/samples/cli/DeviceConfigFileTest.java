package org.xp2p.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file: what a complete one gives, and what each mistake gets. */
class DeviceConfigFileTest {
    private static final String KEY = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    @TempDir
    Path dir;

    private Path write(String... lines) throws Exception {
        return Files.writeString(dir.resolve("device.cfg"), String.join("\n", lines) + "\n");
    }

    private String error(String... lines) throws Exception {
        CliException e = assertThrows(CliException.class, () -> DeviceConfigFile.read(write(lines)));
        assertEquals(ExitCodes.BAD_INPUT, e.status());
        return e.getMessage();
    }

    private static final String[] SERVERLESS = {"identity.file = a.key", "jid = alice@laptop", "mode = serverless",
        "serverless.address = 127.0.0.1"};

    private static String[] with(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    @Test
    void completeServerlessConfigurationReadsBackEveryValue() throws Exception {
        DeviceConfig c = DeviceConfigFile.read(write(with(SERVERLESS, "# the allow-list", "",
                "peer.bob.key = " + KEY, "peer.bob.jid = bob@desk", "peer.bob.dht = 127.0.0.1:4001, [::1]:4002",
                "dht.port = 4000", "dht.seeds = 127.0.0.1:5000", "portmapping = on")));
        assertEquals(dir.resolve("a.key").toAbsolutePath(), c.identityFile());
        assertEquals("alice@laptop", c.jid());
        assertEquals(InetAddress.getByName("127.0.0.1"), c.serverless().orElseThrow());
        assertTrue(c.broker().isEmpty());
        DeviceConfig.AllowedPeer bob = c.allowList().get(0);
        assertEquals("bob", bob.name());
        assertEquals(KEY, IdentityKeys.encode(bob.identityKey()));
        assertEquals("bob@desk", bob.jid().orElseThrow());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 4001), new InetSocketAddress("::1", 4002)),
                bob.dhtAddresses());
        assertEquals(new DeviceConfig.Dht(InetAddress.getByName("127.0.0.1"), 4000,
                List.of(new InetSocketAddress("127.0.0.1", 5000))), c.dht().orElseThrow());
        assertTrue(c.portMapping());
    }

    @Test
    void brokerConfigurationNeedsAResourceAndKeepsPlaintextToLoopback() throws Exception {
        DeviceConfig c = DeviceConfigFile.read(write("identity.file = a.key", "jid = alice@example.org/car",
                "mode = broker", "broker.host = 127.0.0.1", "broker.password = pw", "broker.tls = off",
                "broker.direct.address = 127.0.0.1", "dht.port = 0"));
        assertEquals(DeviceConfigFile.DEFAULT_BROKER_PORT, c.broker().orElseThrow().port());
        assertEquals(InetAddress.getByName("127.0.0.1"), c.dht().orElseThrow().address());

        assertTrue(error("identity.file = a.key", "jid = alice@example.org", "mode = broker", "broker.host = h",
                "broker.password = pw").contains("has no resource"));
        String tls = error("identity.file = a.key", "jid = a@example.org/x", "mode = broker",
                "broker.host = xmpp.example.org", "broker.password = pw", "broker.tls = off");
        assertTrue(tls.contains("device.cfg:6: broker.tls") && tls.contains("turn TLS on"), tls);
        assertTrue(error("identity.file = a.key", "jid = a@example.org/x", "mode = broker", "broker.host = h")
                .contains("missing broker.password"));
        assertTrue(error("identity.file = a.key", "jid = a@example.org/x", "mode = broker", "broker.host = h",
                "broker.password.env = XP2P_SURELY_UNSET_VARIABLE_42").contains("XP2P_SURELY_UNSET_VARIABLE_42 is not set"));
    }

    @Test
    void missingRequiredKeysAreNamedWithWhatTheyAreFor() throws Exception {
        String noIdentity = error("jid = alice@laptop", "mode = serverless", "serverless.address = 127.0.0.1");
        assertTrue(noIdentity.endsWith("device.cfg: missing identity.file (the identity key file made by "
                + "`xp2p keys create`)"), noIdentity);
        assertTrue(error("identity.file = a.key", "jid = alice@laptop", "mode = serverless")
                .contains("missing serverless.address (the address of the interface"));
        assertTrue(error("identity.file = a.key", "jid = alice@laptop").contains("missing mode (serverless or broker)"));
        String noFile = assertThrows(CliException.class, () -> DeviceConfigFile.read(dir.resolve("nope.cfg"))).getMessage();
        assertTrue(noFile.contains("does not exist"), noFile);
    }

    @Test
    void badAddressesAndPortsSayWhatARightValueLooksLike() throws Exception {
        String host = error("identity.file = a.key", "jid = alice@laptop", "mode = serverless",
                "serverless.address = eth0");
        assertTrue(host.contains("device.cfg:4: serverless.address: 'eth0' is not an IP address"), host);
        assertTrue(host.contains("`ip addr`"), host);
        String octets = error(with(SERVERLESS, "dht.port = 4000", "dht.address = 300.1.2.3"));
        assertTrue(octets.contains("device.cfg:6: dht.address: '300.1.2.3' is not a valid IP address"), octets);
        String port = error(with(SERVERLESS, "dht.port = 70000"));
        assertTrue(port.contains("device.cfg:5: dht.port: '70000' is not a port: give 0 (any) or 1..65535"), port);
        String seed = error(with(SERVERLESS, "dht.port = 4000", "dht.seeds = 127.0.0.1"));
        assertTrue(seed.contains("'127.0.0.1' is not address:port"), seed);
        assertTrue(error(with(SERVERLESS, "dht.seeds = 127.0.0.1:4000")).contains("needs dht.port too"));
    }

    @Test
    void typosDuplicatesAndWrongValuesAreRefusedWithTheirLine() throws Exception {
        String unknown = error(with(SERVERLESS, "dht.prot = 4000"));
        assertTrue(unknown.contains("device.cfg:5: unknown key 'dht.prot'; known keys:"), unknown);
        assertTrue(unknown.contains("dht.port"), unknown);
        String twice = error(with(SERVERLESS, "jid = bob@laptop"));
        assertTrue(twice.contains("device.cfg:5: jid is already set on line 2"), twice);
        assertTrue(error(with(SERVERLESS, "just words")).contains("device.cfg:5: expected key = value"));
        assertTrue(error("identity.file = a.key", "jid = alice@laptop", "mode = p2p")
                .contains("'p2p' is not a mode: write serverless or broker"));
        assertTrue(error("identity.file = a.key", "jid = alice", "mode = serverless", "serverless.address = 127.0.0.1")
                .contains("'alice' is not a JID"));
        assertTrue(error(with(SERVERLESS, "portmapping = maybe")).contains("'maybe' is neither on nor off"));
        assertTrue(error(with(SERVERLESS, "broker.host = h")).contains("broker.host does not apply with mode = serverless"));
        assertTrue(error(with(SERVERLESS, "serverless.mdns = off")).contains("device.cfg:5: serverless.mdns: with mDNS off "
                + "nobody could find this device: set dht.port"));
    }

    @Test
    void allowListEntriesNeedAWholeKeyOrAnOffer() throws Exception {
        String shortKey = error(with(SERVERLESS, "peer.bob.key = AAAA"));
        assertTrue(shortKey.contains("device.cfg:5: peer.bob.key: 'AAAA' decodes to 3 octets"), shortKey);
        assertTrue(error(with(SERVERLESS, "peer.bob.jid = bob@desk")).contains("missing peer.bob.key"));
        String offer = error(with(SERVERLESS, "peer.carol.offer = carol.offer"));
        assertTrue(offer.contains("peer.carol.offer: offer file") && offer.contains("does not exist"), offer);
        assertTrue(error(with(SERVERLESS, "peer.carol.offer = c.offer", "peer.carol.key = " + KEY))
                .contains("has an offer file; drop peer.carol.key"));
    }

    @Test
    void runWithABadConfigurationExitsWithTheBadInputStatusAndTheMessage() throws Exception {
        Path cfg = write("identity.file = a.key", "jid = alice@laptop", "mode = serverless", "serverless.address = eth0");
        Cli.Result r = Cli.run("run", "--config", cfg.toString(), "--passcode-env", "PATH");
        assertEquals(ExitCodes.BAD_INPUT, r.status(), r.toString());
        assertTrue(r.err().startsWith("xp2p run: "), r.toString());
        assertTrue(r.err().contains("'eth0' is not an IP address"), r.toString());
    }
}
