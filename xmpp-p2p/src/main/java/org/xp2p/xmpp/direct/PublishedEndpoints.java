package org.xp2p.xmpp.direct;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.PeerInfo.Source;
import org.xp2p.discovery.dht.PresenceMirror;
import org.xp2p.xmpp.peers.PeerDirectory;

/**
 * Where a contact itself says it can be reached, for dialling it and for checking where its
 * links come from: the newer of its broker presence with {@code <p2p/>} and its signed DHT
 * record. Never an mDNS claim or a synchE2e answer: those did not come from the broker's
 * authenticated session or from the contact's identity key. Pure function of the directory.
 */
public final class PublishedEndpoints {
    private PublishedEndpoints() {
    }

    public static Optional<PeerInfo> of(PeerDirectory directory, String jid) {
        Optional<PeerInfo> presence = directory.get(jid, Source.BROKER_PRESENCE)
                .filter(p -> p.externalEndpoint().isPresent());
        Optional<PeerInfo> record = directory.get(jid, Source.DHT)
                .filter(p -> p.externalEndpoint().isPresent() || !p.localEndpoints().isEmpty())
                .filter(p -> !PresenceMirror.expired(p, Instant.now()));
        return Stream.concat(presence.stream(), record.stream())
                .max(java.util.Comparator.comparing(PeerInfo::learnedAt));
    }
}
