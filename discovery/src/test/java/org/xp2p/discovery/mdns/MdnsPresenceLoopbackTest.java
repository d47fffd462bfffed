package org.xp2p.discovery.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xp2p.discovery.PeerInfo;

/**
 * Two real jmDNS responders bound to 127.0.0.1 in this JVM (loopback only, as the network
 * rule asks) announce, browse, update, rename on conflict and say goodbye.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MdnsPresenceLoopbackTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private ExecutorService executor;
    private MdnsPresence alice;
    private MdnsPresence bob;

    @BeforeAll
    void start() throws Exception {
        executor = Executors.newCachedThreadPool();
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        alice = MdnsPresence.start(lo, "xp2ptest-alice-" + ProcessHandle.current().pid(), executor);
        bob = MdnsPresence.start(lo, "xp2ptest-bob-" + ProcessHandle.current().pid(), executor);
    }

    @AfterAll
    void stop() {
        alice.close();
        bob.close();
        executor.shutdownNow();
    }

    @Test
    void browserSeesResolvedPeerThenItsUpdateThenItsGoodbye() throws Exception {
        String name = "alice@loop" + ProcessHandle.current().pid();
        RecordingListener seen = new RecordingListener();
        bob.browse(seen);
        Advertisement ad = alice.advertise(LinkLocalPresence.available(name, 5298).withJid("alice@example.org"));

        seen.await(e -> e.kind().equals("added") && e.instance().equals(name), BOUND);
        // jmDNS may resolve the address before the TXT record: the TXT then comes as an update.
        PeerInfo peer = seen.await(e -> e.instance().equals(name) && e.peer() != null
                && e.peer().attributes().containsKey("txtvers"), BOUND).peer();
        assertEquals(PeerInfo.Source.MDNS, peer.source());
        assertEquals(name, peer.linkLocalInstance().orElseThrow());
        assertTrue(peer.localEndpoints().contains(new InetSocketAddress("127.0.0.1", 5298)), peer.toString());
        assertEquals("1", peer.attributes().get("txtvers"), peer.attributes().toString());
        assertEquals("avail", peer.attributes().get("status"));
        assertEquals("5298", peer.attributes().get("port.p2pj"));
        assertEquals("alice@example.org", peer.attributes().get("jid"));

        ad.update(ad.presence().withStatus(PresenceStatus.DND, "busy"));
        PeerInfo updated = seen.await(e -> e.kind().equals("updated") && "dnd".equals(e.peer().attributes().get("status")),
                BOUND).peer();
        assertEquals("busy", updated.attributes().get("msg"));

        ad.close();
        seen.await(e -> e.kind().equals("removed") && e.instance().equals(name), BOUND);
    }

    @Test
    void ownInstanceIsNotReported() throws Exception {
        String mine = "self@loop" + ProcessHandle.current().pid();
        String other = "other@loop" + ProcessHandle.current().pid();
        RecordingListener seen = new RecordingListener();
        alice.browse(seen);
        alice.advertise(LinkLocalPresence.available(mine, 5298));
        bob.advertise(LinkLocalPresence.available(other, 5299));
        seen.await(e -> e.instance().equals(other), BOUND);
        assertFalse(seen.events().stream().anyMatch(e -> e.instance().equals(mine)), seen.events().toString());
    }

    @Test
    void wildcardAddressIsRefusedWithAnExplanation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MdnsPresence.start(InetAddress.getByName("0.0.0.0"), "x", executor));
        assertTrue(e.getMessage().contains("interface address"), e.getMessage());
        assertThrows(NullPointerException.class, () -> MdnsPresence.start(null, "x", executor));
    }

    @Test
    void listOfEventsForOnePeerStartsWithAdded() throws Exception {
        String name = "order@loop" + ProcessHandle.current().pid();
        RecordingListener seen = new RecordingListener();
        bob.browse(seen);
        alice.advertise(LinkLocalPresence.available(name, 5300));
        seen.await(e -> e.instance().equals(name), BOUND);
        List<RecordingListener.Event> forPeer = seen.events().stream().filter(e -> e.instance().equals(name)).toList();
        assertEquals("added", forPeer.get(0).kind());
    }
}
