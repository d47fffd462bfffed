package org.xp2p.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xp2p.discovery.dht.ContactOffer;

/** {@code xp2p offer export|import}: the offer round trip into the allow-list, and tampered offers refused. */
class OfferCommandTest {
    @TempDir
    Path dir;

    @Test
    void exportedOfferImportedByThePeerPutsOurKeyJidAndDhtAddressOnItsAllowList() throws Exception {
        TestDevice alice = TestDevice.serverless(dir, "alice", "dht.port = 4711");
        TestDevice bob = TestDevice.serverless(dir, "bob", "");
        Path offer = dir.resolve("alice.offer");
        Cli.Result exported = Cli.run(alice.args("offer", "export", "--out", offer.toString()));
        assertEquals(ExitCodes.OK, exported.status(), exported.toString());
        ContactOffer parsed = ContactOffer.parse(Files.readString(offer));
        assertArrayEquals(alice.identity().publicKey(), parsed.identityKey());

        Cli.Result imported = Cli.run("offer", "import", "--config", bob.config().toString(), offer.toString());
        assertEquals(ExitCodes.OK, imported.status(), imported.toString());
        assertTrue(imported.out().contains(IdentityKeys.fingerprint(alice.identity().publicKey())), imported.toString());
        DeviceConfig bobs = DeviceConfigFile.read(bob.config());
        assertEquals(1, bobs.allowList().size());
        DeviceConfig.AllowedPeer peer = bobs.allowList().get(0);
        assertArrayEquals(alice.identity().publicKey(), peer.identityKey());
        assertEquals(alice.jid(), peer.jid().orElseThrow());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 4711)), peer.dhtAddresses());
        assertTrue(peer.name().startsWith("alice-"), peer.name());
        // the signed offer itself is kept (peer.NAME.offer): broker mode's DHT needs its signature
        assertArrayEquals(parsed.signature(), peer.offer().orElseThrow().signature());
        assertTrue(Files.readString(bob.config()).contains("peer." + peer.name() + ".offer = " + peer.name() + ".offer"),
                Files.readString(bob.config()));

        // Importing it again changes nothing.
        String before = Files.readString(bob.config());
        Cli.Result again = Cli.run("offer", "import", "--config", bob.config().toString(), offer.toString());
        assertEquals(ExitCodes.OK, again.status(), again.toString());
        assertTrue(again.out().contains("already allowed"), again.toString());
        assertEquals(before, Files.readString(bob.config()));
    }

    @Test
    void offerToStdoutIsArmouredText() throws Exception {
        TestDevice alice = TestDevice.serverless(dir, "alice", "");
        Cli.Result r = Cli.run(alice.args("offer", "export"));
        assertEquals(ExitCodes.OK, r.status(), r.toString());
        assertTrue(r.out().startsWith(ContactOffer.BEGIN), r.out());
        assertEquals(alice.jid(), ContactOffer.parse(r.out()).jid());
        assertTrue(r.err().contains("carries the key and JID only"), r.toString());
    }

    @Test
    void tamperedOfferIsRefusedAndTheConfigurationStaysAsItWas() throws Exception {
        TestDevice alice = TestDevice.serverless(dir, "alice", "dht.port = 4711");
        TestDevice bob = TestDevice.serverless(dir, "bob", "");
        String armoured = Cli.run(alice.args("offer", "export")).out();
        // Change one base64 character inside the body: the JID or key no longer match the signature.
        List<String> lines = new java.util.ArrayList<>(armoured.lines().toList());
        String body = lines.get(1);
        int i = 50;
        char swapped = body.charAt(i) == 'A' ? 'B' : 'A';
        lines.set(1, body.substring(0, i) + swapped + body.substring(i + 1));
        Path tampered = Files.writeString(dir.resolve("tampered.offer"), String.join("\n", lines) + "\n");
        String before = Files.readString(bob.config());

        Cli.Result r = Cli.run("offer", "import", "--config", bob.config().toString(), tampered.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.status(), r.toString());
        assertTrue(r.err().contains("refused"), r.toString());
        assertTrue(r.err().contains("ask its owner for a fresh copy"), r.toString());
        assertEquals(before, Files.readString(bob.config()));

        Path notOffer = Files.writeString(dir.resolve("letter.txt"), "Dear Bob, here is my offer. Alice");
        Cli.Result r2 = Cli.run("offer", "import", "--config", bob.config().toString(), notOffer.toString());
        assertEquals(ExitCodes.BAD_INPUT, r2.status(), r2.toString());
        assertTrue(r2.err().contains("BEGIN XP2P CONTACT OFFER"), r2.toString());
        assertEquals(before, Files.readString(bob.config()));
    }

    @Test
    void offerFileNamedInTheConfigurationAllowsItsPeer() throws Exception {
        TestDevice alice = TestDevice.serverless(dir, "alice", "");
        Path offer = dir.resolve("alice.offer");
        Cli.run(alice.args("offer", "export", "--out", offer.toString()));
        TestDevice bob = TestDevice.serverless(dir, "bob", "peer.alice.offer = alice.offer");
        DeviceConfig.AllowedPeer peer = DeviceConfigFile.read(bob.config()).allowList().get(0);
        assertArrayEquals(alice.identity().publicKey(), peer.identityKey());
        assertEquals(alice.jid(), peer.jid().orElseThrow());
    }
}
