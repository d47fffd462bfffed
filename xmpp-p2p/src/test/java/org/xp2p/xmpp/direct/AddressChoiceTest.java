package org.xp2p.xmpp.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.schemas.IpLiteral;
import org.xp2p.schemas.smack.P2pElement;

class AddressChoiceTest {

    static PeerInfo peer(P2pElement p2p) {
        return PeerInfo.builder("peer@example.org/dev", PeerInfo.Source.BROKER_PRESENCE, Instant.EPOCH)
                .localEndpoints(List.of(p2p.local())).externalEndpoint(p2p.external()).build();
    }

    static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(IpLiteral.parse(ip), port);
    }

    @Test
    void behindTheSameGatewayThePeersLocalEndpointIsUsed() {
        P2pElement ours = new P2pElement("198.51.100.7", 40000, "192.168.1.10", 5300);
        AddressChoice c = AddressChoice.of(ours, peer(new P2pElement("198.51.100.7", 40001, "192.168.1.11", 5301))).orElseThrow();
        assertEquals(AddressChoice.Kind.LOCAL, c.kind());
        assertEquals(at("192.168.1.11", 5301), c.target());
    }

    @Test
    void behindAnotherGatewayThePeersExternalEndpointIsUsed() {
        P2pElement ours = new P2pElement("198.51.100.7", 40000, "192.168.1.10", 5300);
        AddressChoice c = AddressChoice.of(ours, peer(new P2pElement("203.0.113.9", 41000, "192.168.1.11", 5301))).orElseThrow();
        assertEquals(AddressChoice.Kind.EXTERNAL, c.kind());
        assertEquals(at("203.0.113.9", 41000), c.target());
    }

    @Test
    void ipv6AddressesCompareByValueNotByText() {
        P2pElement ours = new P2pElement("2001:db8::1", 40000, "fd00::10", 5300);
        AddressChoice same = AddressChoice.of(ours, peer(new P2pElement("2001:0db8:0:0:0:0:0:1", 40001, "fd00::11", 5301)))
                .orElseThrow();
        assertEquals(AddressChoice.Kind.LOCAL, same.kind());
        assertEquals(at("fd00::11", 5301), same.target());
        AddressChoice other = AddressChoice.of(ours, peer(new P2pElement("2001:db8::2", 40002, "fd00::12", 5302)))
                .orElseThrow();
        assertEquals(at("2001:db8::2", 40002), other.target());
    }

    @Test
    void aPeerWithAPublicAddressPublishesItAsBothAndIsReachedThere() {
        P2pElement ours = new P2pElement("198.51.100.7", 40000, "192.168.1.10", 5300);
        AddressChoice c = AddressChoice.of(ours, peer(new P2pElement("203.0.113.50", 5222, "203.0.113.50", 5222)))
                .orElseThrow();
        assertEquals(at("203.0.113.50", 5222), c.target());
        assertEquals(IpLiteral.parse("203.0.113.50"), AddressChoice.expectedSource(ours, peer(
                new P2pElement("203.0.113.50", 5222, "203.0.113.50", 5222))).orElseThrow());
    }

    @Test
    void withoutOurOwnEndpointsThePeerIsReachedExternally() {
        AddressChoice c = AddressChoice.of(null, peer(new P2pElement("203.0.113.9", 41000, "192.168.1.11", 5301)))
                .orElseThrow();
        assertEquals(AddressChoice.Kind.EXTERNAL, c.kind());
    }

    @Test
    void aPeerWithoutEndpointsCannotBeChosen() {
        PeerInfo none = PeerInfo.builder("p@example.org/x", PeerInfo.Source.BROKER_PRESENCE, Instant.EPOCH).build();
        assertTrue(AddressChoice.of(null, none).isEmpty());
    }
}
