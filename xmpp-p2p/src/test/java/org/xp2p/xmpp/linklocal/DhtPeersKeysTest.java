package org.xp2p.xmpp.linklocal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.discovery.dht.PresenceMirror;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * What counts as "the E2E keys of the signed record" when a DHT contact presents keys in
 * synchE2e: small keys are inlined in the record, large ones (ML-KEM here) are named by
 * digest; the presented set must be exactly the record's, no key missing, none added,
 * none changed.
 */
class DhtPeersKeysTest {
    private final SecureRandom random = new SecureRandom();

    private PublishedKey key(KeyType type, int octets) {
        byte[] pub = new byte[octets];
        random.nextBytes(pub);
        return new PublishedKey(type, pub);
    }

    private PeerInfo recordWith(List<PublishedKey> keys) {
        NodeIdentity owner = NodeIdentity.generate(random, 0);
        long now = System.currentTimeMillis();
        SignedRecord signed = SignedRecord.sign(SignedRecord.presence(owner.publicKey(), new byte[0], now, now,
                now + 3_600_000, List.of("car@garage"), List.of(new InetSocketAddress("127.0.0.1", 5298)),
                Optional.empty(), E2eElement.of(keys)), owner);
        return PresenceMirror.toPeerInfo(signed, Instant.now());
    }

    @Test
    void exactlyTheRecordsKeysInlineAndByDigestMatch() {
        PublishedKey x = key(KeyType.X25519, 32);
        PublishedKey ml = key(KeyType.ML128, 2112);
        PeerInfo record = recordWith(List.of(x, ml));
        assertTrue(record.attributes().containsKey("dht.keyDigest.ml128"), "the large key was not digested");
        assertTrue(DhtPeers.sameKeys(record, E2eElement.of(List.of(x, ml))));
    }

    @Test
    void missingAddedOrChangedKeysDoNotMatch() {
        PublishedKey x = key(KeyType.X25519, 32);
        PublishedKey ml = key(KeyType.ML128, 2112);
        PeerInfo record = recordWith(List.of(x, ml));
        assertFalse(DhtPeers.sameKeys(record, E2eElement.of(List.of(x))), "a key missing");
        assertFalse(DhtPeers.sameKeys(record, E2eElement.of(List.of(x, ml, key(KeyType.ED25519, 32)))), "a key added");
        assertFalse(DhtPeers.sameKeys(record, E2eElement.of(List.of(key(KeyType.X25519, 32), ml))), "inline key changed");
        assertFalse(DhtPeers.sameKeys(record, E2eElement.of(List.of(x, key(KeyType.ML128, 2112)))), "digested key changed");
    }
}
