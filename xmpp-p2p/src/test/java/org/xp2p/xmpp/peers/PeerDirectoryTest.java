package org.xp2p.xmpp.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.PeerInfo.Source;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.PublishedKey;

class PeerDirectoryTest {
    private static final String JID = "car@example.org/dev";
    private final PeerDirectory directory = new PeerDirectory();
    private final List<String> events = new ArrayList<>();

    PeerDirectoryTest() {
        directory.addListener(new PeerDirectory.Listener() {
            @Override
            public void peerChanged(PeerInfo merged) {
                events.add("changed " + merged.jid());
            }

            @Override
            public void peerRemoved(String jid) {
                events.add("removed " + jid);
            }
        });
    }

    static E2eElement keys(int fill) {
        byte[] pub = new byte[32];
        java.util.Arrays.fill(pub, (byte) fill);
        return E2eElement.of(List.of(new PublishedKey(KeyType.ED25519, pub)));
    }

    static PeerInfo.Builder snap(Source source, long second) {
        return PeerInfo.builder(JID, source, Instant.ofEpochSecond(second));
    }

    static InetSocketAddress ep(String ip) {
        return new InetSocketAddress(ip, 5300);
    }

    @Test
    void aNewerMdnsClaimDoesNotOverrideWhatTheBrokerSaid() {
        directory.put(snap(Source.BROKER_PRESENCE, 10).localEndpoints(List.of(ep("10.0.0.2"))).e2eKeys(keys(1)).build());
        directory.put(snap(Source.MDNS, 20).localEndpoints(List.of(ep("10.0.0.66"))).e2eKeys(keys(2))
                .linkLocalInstance("car@host").build());
        PeerInfo merged = directory.get(JID).orElseThrow();
        assertEquals(List.of(ep("10.0.0.2")), merged.localEndpoints());
        assertEquals(keys(1), merged.e2eKeys().orElseThrow());
        assertEquals("car@host", merged.linkLocalInstance().orElseThrow(), "fields only mDNS knows still come from it");
    }

    @Test
    void amongTrustedSourcesTheNewestWinsPerField() {
        directory.put(snap(Source.BROKER_PRESENCE, 10).localEndpoints(List.of(ep("10.0.0.2"))).e2eKeys(keys(1)).build());
        directory.put(snap(Source.SYNCH_E2E, 20).e2eKeys(keys(3)).build());
        PeerInfo merged = directory.get(JID).orElseThrow();
        assertEquals(keys(3), merged.e2eKeys().orElseThrow());
        assertEquals(List.of(ep("10.0.0.2")), merged.localEndpoints());
    }

    @Test
    void aBrokerPresenceWithoutKeysDiscardsOlderSynchronisedKeys() {
        directory.put(snap(Source.SYNCH_E2E, 5).e2eKeys(keys(3)).build());
        directory.put(snap(Source.BROKER_PRESENCE, 10).localEndpoints(List.of(ep("10.0.0.2"))).build());
        assertTrue(directory.get(JID).orElseThrow().e2eKeys().isEmpty());
    }

    @Test
    void aLateOlderSnapshotOfTheSameSourceIsIgnored() {
        directory.put(snap(Source.BROKER_PRESENCE, 10).e2eKeys(keys(1)).build());
        directory.put(snap(Source.BROKER_PRESENCE, 9).e2eKeys(keys(2)).build());
        assertEquals(keys(1), directory.get(JID).orElseThrow().e2eKeys().orElseThrow());
    }

    @Test
    void unavailablePresenceRemovesThePeerAndListenersHearOfEveryChange() {
        directory.put(snap(Source.BROKER_PRESENCE, 10).e2eKeys(keys(1)).build());
        directory.put(snap(Source.BROKER_PRESENCE, 10).e2eKeys(keys(1)).build()); // no change, no event
        directory.remove(JID, Source.BROKER_PRESENCE);
        assertTrue(directory.get(JID).isEmpty());
        assertEquals(List.of("changed " + JID, "removed " + JID), events);
    }
}
