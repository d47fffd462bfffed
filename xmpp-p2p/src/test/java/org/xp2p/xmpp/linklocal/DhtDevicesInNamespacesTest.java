package org.xp2p.xmpp.linklocal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xp2p.discovery.dht.ContactOffer;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.testbed.ChildJvm;
import org.xp2p.testbed.NetNs;
import org.xp2p.testbed.TestEnvironment;

/**
 * Two secured devices, each a JVM in its own network namespace, on two subnets joined by
 * a router namespace that forwards unicast but, like any router, not link-local multicast:
 * mDNS is on in both yet neither ever sees the other. Each knows the other only from a
 * contact offer; a DHT node on the router is the only meeting point. Messages and an iq
 * cross over a direct link, end-to-end protected, reported as DIRECT_LINK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DhtDevicesInNamespacesTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String ALICE = "alice@dhta";
    private static final String BOB = "bob@dhtb";
    private static final String DHT_PORT = "4701";

    private NetNs nsA;
    private NetNs nsR;
    private NetNs nsB;
    private ChildJvm seed;
    private ChildJvm alice;
    private ChildJvm bob;

    @BeforeAll
    void start() throws Exception {
        TestEnvironment.requireRoot();
        Path dir = Files.createTempDirectory("xp2p-dht-devices");
        try {
            nsA = NetNs.create("dha");
            nsR = NetNs.create("dhr");
            nsB = NetNs.create("dhb");
            NetNs.Veth left = NetNs.link(nsA, "10.74.1.1/24", nsR, "10.74.1.254/24");
            NetNs.Veth right = NetNs.link(nsR, "10.74.2.254/24", nsB, "10.74.2.1/24");
            nsA.exec("ip", "route", "add", "default", "via", left.addressB());
            nsB.exec("ip", "route", "add", "default", "via", right.addressA());
            nsR.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");

            SecureRandom random = new SecureRandom();
            byte[] aliceSeed = new byte[IdentityKey.SEED_OCTETS];
            byte[] bobSeed = new byte[IdentityKey.SEED_OCTETS];
            random.nextBytes(aliceSeed);
            random.nextBytes(bobSeed);
            Path aliceOffer = offer(dir, "alice", aliceSeed, ALICE, left.addressA());
            Path bobOffer = offer(dir, "bob", bobSeed, BOB, right.addressB());

            seed = ChildJvm.start("dht-seed", nsR, DhtSeedMain.class.getName(), List.of(),
                    List.of(left.addressB(), DHT_PORT), dir.resolve("seed.log"));
            String seedAddress = seed.awaitPrefix("READY ", BOUND).substring("READY ".length());
            bob = ChildJvm.start("bob", nsB, DhtDeviceMain.class.getName(), List.of(), List.of(BOB, right.addressB(),
                    HexFormat.of().formatHex(bobSeed), "on", DHT_PORT, seedAddress, aliceOffer.toString()),
                    dir.resolve("bob.log"));
            alice = ChildJvm.start("alice", nsA, DhtDeviceMain.class.getName(), List.of(), List.of(ALICE,
                    left.addressA(), HexFormat.of().formatHex(aliceSeed), "on", DHT_PORT, seedAddress,
                    bobOffer.toString()), dir.resolve("alice.log"));
            bob.awaitPrefix("READY " + BOB, BOUND);
            alice.awaitPrefix("READY " + ALICE, BOUND);
            assertPublished(bob.awaitPrefix("PUBLISHED ", BOUND));
            assertPublished(alice.awaitPrefix("PUBLISHED ", BOUND));
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    private static void assertPublished(String line) {
        assertTrue(Integer.parseInt(line.substring("PUBLISHED ".length()).trim()) > 0, line);
    }

    private static Path offer(Path dir, String who, byte[] seed, String jid, String address) throws Exception {
        NodeIdentity id = NodeIdentity.of(IdentityKey.fromSeed(seed).privateKey(),
                DhtDirectLinkTest.dhtConfig().puzzleDifficultyBits());
        ContactOffer offer = ContactOffer.create(id, jid,
                List.of(new java.net.InetSocketAddress(address, Integer.parseInt(DHT_PORT))), System.currentTimeMillis());
        Path file = dir.resolve(who + ".offer");
        Files.writeString(file, "Hi, add me:\n" + offer.armoured());
        return file;
    }

    @AfterAll
    void stop() {
        for (ChildJvm c : new ChildJvm[] {alice, bob, seed}) {
            if (c != null) {
                c.close();
            }
        }
        for (NetNs ns : new NetNs[] {nsA, nsR, nsB}) {
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Test
    void devicesOnTwoSubnetsFindEachOtherOnlyThroughTheDhtAndTalkDirectly() {
        alice.send("send " + BOB + " hello across the router");
        alice.awaitPrefix("SENT " + BOB, BOUND);
        bob.awaitPrefix("MESSAGE " + ALICE + " DIRECT_LINK true hello across the router", BOUND);

        alice.send("iq " + BOB);
        alice.awaitPrefix("IQ_RESULT " + BOB + " xp2p-device DIRECT_LINK", BOUND);

        bob.send("send " + ALICE + " hello back");
        alice.awaitPrefix("MESSAGE " + BOB + " DIRECT_LINK true hello back", BOUND);

        // mDNS ran on both sides all along, and saw nobody: the router does not pass it
        assertFalse(alice.output().contains("PEER_ADDED"), alice.output());
        assertFalse(bob.output().contains("PEER_ADDED"), bob.output());
    }
}
