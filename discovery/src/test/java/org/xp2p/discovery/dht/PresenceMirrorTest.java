package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.sim.SimDht;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * The presence mirror in virtual time: a change is visible at once under a higher seq, the
 * owner republishes before expiry for as long as it runs, and the record expires everywhere
 * once it stops.
 */
class PresenceMirrorTest {

    private static PresenceMirror.Presence at(String ip, byte keyByte) {
        byte[] x = new byte[32];
        x[0] = keyByte;
        return new PresenceMirror.Presence(List.of("dev@example.org/home"), List.of(new InetSocketAddress(ip, 5222)),
                Optional.empty(), E2eElement.of(List.of(new PublishedKey(KeyType.X25519, x))));
    }

    @Test
    void changesShowAtOnceRepublishKeepsTheRecordAliveAndItExpiresAfterClose() {
        SimDht sim = new SimDht(SimulationTest.simConfig(), 21, 5, 30, 0.0);
        sim.grow(60, 30);
        DhtNode owner = sim.live().get(7);
        DhtNode peer = sim.live().get(50);
        PresenceMirror mine = new PresenceMirror(owner);
        PresenceMirror theirs = new PresenceMirror(peer);
        byte[] key = owner.identity().publicKey();

        assertTrue(sim.await(mine.publish(at("192.168.1.5", (byte) 1))).succeeded());
        PeerInfo first = sim.await(theirs.lookup(key)).orElseThrow();
        assertEquals(List.of(new InetSocketAddress("192.168.1.5", 5222)), first.localEndpoints());
        assertEquals(PeerInfo.Source.DHT, first.source());
        assertEquals("dev@example.org/home", first.jid());

        // New address and new key: published at once under a higher seq.
        sim.loop().advance(60_000);
        sim.await(mine.publish(at("192.168.1.6", (byte) 2)));
        PeerInfo second = sim.await(theirs.lookup(key)).orElseThrow();
        assertEquals(List.of(new InetSocketAddress("192.168.1.6", 5222)), second.localEndpoints());
        assertEquals(2, second.e2eKeys().orElseThrow().keys().get(0).pub()[0]);
        assertTrue(Long.parseLong(second.attributes().get("dht.seq")) > Long.parseLong(first.attributes().get("dht.seq")));

        // Five virtual hours, far past the 2 h lifetime: republishing keeps it findable.
        sim.loop().advance(5 * 3600_000L);
        PeerInfo later = sim.await(theirs.lookup(key)).orElseThrow();
        assertEquals(second.localEndpoints(), later.localEndpoints());
        assertTrue(Long.parseLong(later.attributes().get("dht.seq")) > Long.parseLong(second.attributes().get("dht.seq")),
                "the owner did not republish");

        // The owner stops: after the lifetime (plus skew allowance) no node holds it any more.
        mine.close();
        sim.loop().advance(2 * 3600_000L + 6 * 60_000L);
        assertTrue(sim.await(theirs.lookup(key)).isEmpty(), "record outlived its lifetime");
        sim.close();
    }

    @Test
    void refreshPeriodMustBePositive() {
        assertEquals(java.time.Duration.ofSeconds(1), PresenceMirror.requireRefreshPeriod(java.time.Duration.ofSeconds(1)));
        for (java.time.Duration bad : List.of(java.time.Duration.ZERO, java.time.Duration.ofMillis(-1))) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> PresenceMirror.requireRefreshPeriod(bad));
            assertTrue(e.getMessage().contains("must be positive"), e.getMessage());
        }
    }
}
