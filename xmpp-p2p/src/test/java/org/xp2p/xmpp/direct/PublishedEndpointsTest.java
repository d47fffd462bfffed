package org.xp2p.xmpp.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.PeerInfo.Source;
import org.xp2p.discovery.dht.PresenceMirror;
import org.xp2p.schemas.IpLiteral;
import org.xp2p.xmpp.peers.PeerDirectory;

class PublishedEndpointsTest {
    private static final String BOB = "bob@example.org/dev";
    private final PeerDirectory directory = new PeerDirectory();

    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(IpLiteral.parse(ip), port);
    }

    private static PeerInfo.Builder said(Source source, long atSecond, InetSocketAddress endpoint) {
        return PeerInfo.builder(BOB, source, Instant.ofEpochSecond(atSecond)).localEndpoints(List.of(endpoint))
                .externalEndpoint(endpoint);
    }

    private InetSocketAddress chosen() {
        return PublishedEndpoints.of(directory, BOB).orElseThrow().localEndpoints().get(0);
    }

    @Test
    void theNewerOfPresenceAndSignedRecordWins() {
        directory.put(said(Source.BROKER_PRESENCE, 100, at("192.0.2.1", 5000)).build());
        directory.put(said(Source.DHT, 50, at("192.0.2.1", 5001)).build());
        assertEquals(at("192.0.2.1", 5000), chosen(), "the record is older than the presence");

        directory.put(said(Source.DHT, 200, at("192.0.2.1", 5002)).build());
        assertEquals(at("192.0.2.1", 5002), chosen(), "signed after the last presence: the peer moved since");
    }

    @Test
    void mdnsClaimsAndSynchAnswersDoNotSayWhereAContactIs() {
        directory.put(said(Source.MDNS, 300, at("192.0.2.9", 1)).build());
        directory.put(said(Source.SYNCH_E2E, 300, at("192.0.2.9", 2)).build());
        assertTrue(PublishedEndpoints.of(directory, BOB).isEmpty());

        directory.put(said(Source.BROKER_PRESENCE, 100, at("192.0.2.1", 5000)).build());
        assertEquals(at("192.0.2.1", 5000), chosen());
    }

    @Test
    void aPresenceWithoutP2pAndAnExpiredRecordSayNothing() {
        directory.put(PeerInfo.builder(BOB, Source.BROKER_PRESENCE, Instant.ofEpochSecond(100)).build());
        directory.put(said(Source.DHT, 200, at("192.0.2.1", 5001))
                .attribute(PresenceMirror.EXPIRES_AT, Instant.now().minusSeconds(1).toString()).build());
        assertTrue(PublishedEndpoints.of(directory, BOB).isEmpty());

        directory.put(said(Source.DHT, 300, at("192.0.2.1", 5002))
                .attribute(PresenceMirror.EXPIRES_AT, Instant.now().plusSeconds(3600).toString()).build());
        assertEquals(at("192.0.2.1", 5002), chosen());
    }
}
