package org.xp2p.xmpp.linklocal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.xp2p.testbed.ChildJvm;
import org.xp2p.testbed.NetNs;
import org.xp2p.testbed.TestEnvironment;

/**
 * Two xp2p devices, each a JVM in its own network namespace, joined by a veth pair: they
 * find each other by mDNS, chat both ways and answer iqs over a link-local stream; when
 * one vanishes without a goodbye, the other notices and closes its link.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoDevicesInNamespacesTest {
    /** Extra device arguments (secured mode in the subclass); none for plain mode. */
    protected List<String> securityArgs(String who) {
        return List.of();
    }

    /** What the receiving side prints for "protected by E2E". */
    protected String protectedFlag() {
        return "false";
    }

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String ALICE = "alice@nsa";
    private static final String BOB = "bob@nsb";

    private NetNs nsA;
    private NetNs nsB;
    private NetNs.Veth veth;
    private ChildJvm alice;
    private ChildJvm bob;

    @BeforeAll
    void start() throws Exception {
        TestEnvironment.requireRoot();
        Path dir = Files.createTempDirectory("xp2p-devices");
        try {
            nsA = NetNs.create("da");
            nsB = NetNs.create("db");
            veth = NetNs.link(nsA, "10.72.0.1/24", nsB, "10.72.0.2/24");
            // short keep-alives and a short record TTL, so that a vanished peer is noticed quickly
            List<String> jvm = List.of("-Dnet.dns.ttl=10");
            alice = ChildJvm.start("alice", nsA, DeviceMain.class.getName(), jvm,
                    concat(List.of(ALICE, veth.addressA(), "500", "3000"), securityArgs("alice")), dir.resolve("alice.log"));
            bob = ChildJvm.start("bob", nsB, DeviceMain.class.getName(), jvm,
                    concat(List.of(BOB, veth.addressB(), "500", "3000"), securityArgs("bob")), dir.resolve("bob.log"));
            alice.awaitPrefix("READY " + ALICE, BOUND);
            bob.awaitPrefix("READY " + BOB, BOUND);
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @AfterAll
    void stop() {
        for (ChildJvm c : new ChildJvm[] {alice, bob}) {
            if (c != null) {
                c.close();
            }
        }
        for (NetNs ns : new NetNs[] {nsA, nsB}) {
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Test
    @Order(1)
    void eachSeesTheOtherAtItsVethAddressWithTheSrvPort() {
        String bobSeen = alice.awaitPrefix("PEER_ADDED " + BOB + " ", BOUND);
        String aliceSeen = bob.awaitPrefix("PEER_ADDED " + ALICE + " ", BOUND);
        assertTrue(bobSeen.contains("/" + veth.addressB() + ":"), bobSeen);
        assertTrue(aliceSeen.contains("/" + veth.addressA() + ":"), aliceSeen);
    }

    @Test
    @Order(2)
    void chatFlowsBothWaysOverTheLinkLocalPath() {
        alice.awaitPrefix("PEER_ADDED " + BOB + " ", BOUND);
        bob.awaitPrefix("PEER_ADDED " + ALICE + " ", BOUND);
        alice.send("send " + BOB + " hello from alice \u00e9\u20ac");
        alice.awaitPrefix("SENT " + BOB, BOUND);
        bob.awaitPrefix("MESSAGE " + ALICE + " LINK_LOCAL " + protectedFlag() + " hello from alice \u00e9\u20ac", BOUND);
        bob.send("send " + ALICE + " hello from bob");
        alice.awaitPrefix("MESSAGE " + BOB + " LINK_LOCAL " + protectedFlag() + " hello from bob", BOUND);
    }

    @Test
    @Order(3)
    void iqRequestIsAnsweredByThePeersHandler() {
        bob.awaitPrefix("PEER_ADDED " + ALICE + " ", BOUND);
        bob.send("iq " + ALICE);
        bob.awaitPrefix("IQ_RESULT " + ALICE + " xp2p-device LINK_LOCAL", BOUND);
    }

    @Test
    @Order(4)
    void statusChangeIsSeenByThePeer() {
        bob.send("status away out for lunch");
        alice.await(l -> l.startsWith("PEER_UPDATED " + BOB + " ") && l.contains("status=away")
                && l.contains("msg=out for lunch"), BOUND);
    }

    @Test
    @Order(5)
    void peerThatVanishesWithoutGoodbyeIsNoticedAndItsLinkClosed() {
        alice.send("send " + BOB + " are you there");
        bob.awaitPrefix("MESSAGE " + ALICE + " LINK_LOCAL " + protectedFlag() + " are you there", BOUND);
        // bob's side of the wire goes dark first, so no goodbye, FIN or RST reaches alice
        nsB.exec("ip", "link", "set", veth.ifB(), "down");
        bob.kill();
        alice.awaitPrefix("LINK_CLOSED " + BOB + " ", BOUND);
        alice.awaitPrefix("PEER_REMOVED " + BOB, BOUND);
    }
}
