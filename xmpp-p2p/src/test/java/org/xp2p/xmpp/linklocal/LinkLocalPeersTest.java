package org.xp2p.xmpp.linklocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.xmpp.link.StreamErrorCondition;
import org.xp2p.xmpp.link.StreamFault;

class LinkLocalPeersTest {
    private final LinkLocalPeers peers = new LinkLocalPeers();

    private static PeerInfo peer(String instance, String... addresses) {
        return PeerInfo.builder(instance, PeerInfo.Source.MDNS, Instant.EPOCH).linkLocalInstance(instance)
                .localEndpoints(java.util.Arrays.stream(addresses).map(a -> new InetSocketAddress(a, 5298)).toList())
                .build();
    }

    private static InetAddress ip(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void claimFromAnAdvertisedAddressIsAcceptedCaseInsensitively() throws Exception {
        peers.peerAdded(peer("Juliet@Pronto", "10.0.0.5", "fd00::5"));
        assertEquals("Juliet@Pronto", peers.authenticate("juliet@pronto", ip("10.0.0.5")));
        assertEquals("Juliet@Pronto", peers.authenticate("Juliet@Pronto", ip("fd00::5")));
    }

    @Test
    void claimFromAnotherAddressIsInvalidFrom() throws Exception {
        peers.peerAdded(peer("juliet@pronto", "10.0.0.5"));
        StreamFault f = assertThrows(StreamFault.class, () -> peers.authenticate("juliet@pronto", ip("10.0.0.6")));
        assertEquals(StreamErrorCondition.INVALID_FROM, f.condition());
        assertTrue(f.getMessage().contains("10.0.0.6"), f.getMessage());
    }

    @Test
    void unknownInstanceIsInvalidFromUnlessADirectQueryFindsIt() throws Exception {
        assertEquals(StreamErrorCondition.INVALID_FROM,
                assertThrows(StreamFault.class, () -> peers.authenticate("romeo@orchard", ip("10.0.0.7"))).condition());
        peers.resolver(name -> name.equals("romeo@orchard") ? Optional.of(peer("romeo@orchard", "10.0.0.7"))
                : Optional.empty());
        assertEquals("romeo@orchard", peers.authenticate("romeo@orchard", ip("10.0.0.7")));
        assertEquals(StreamErrorCondition.INVALID_FROM,
                assertThrows(StreamFault.class, () -> peers.authenticate("romeo@orchard", ip("10.0.0.8"))).condition());
    }

    @Test
    void headerWithoutFromIsIdentifiedByTheOnlyInstanceAtThatAddress() throws Exception {
        peers.peerAdded(peer("adium@mac", "10.0.0.9"));
        peers.peerAdded(peer("a@shared", "10.0.0.10"));
        peers.peerAdded(peer("b@shared", "10.0.0.10"));
        assertEquals("adium@mac", peers.authenticate(null, ip("10.0.0.9")));
        assertThrows(StreamFault.class, () -> peers.authenticate(null, ip("10.0.0.10")), "two instances share it");
        assertThrows(StreamFault.class, () -> peers.authenticate(null, ip("10.0.0.11")), "nobody advertises it");
    }

    @Test
    void ichatStyleFromThatIsTheSourceIpIsResolvedByAddress() throws Exception {
        peers.peerAdded(peer("ichat@mac", "10.0.0.12"));
        assertEquals("ichat@mac", peers.authenticate("10.0.0.12", ip("10.0.0.12")));
    }

    @Test
    void removedPeerIsNoLongerAccepted() throws Exception {
        peers.peerAdded(peer("gone@soon", "10.0.0.13"));
        peers.peerRemoved("gone@soon");
        assertThrows(StreamFault.class, () -> peers.authenticate("gone@soon", ip("10.0.0.13")));
        assertEquals(List.of(), peers.all());
    }
}
