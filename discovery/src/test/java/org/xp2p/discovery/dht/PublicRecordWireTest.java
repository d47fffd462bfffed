package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.dht.record.PublicRecord;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.discovery.dht.record.StoreOutcome;
import org.xp2p.discovery.dht.wire.DropReason;
import org.xp2p.discovery.dht.wire.StoreStatus;

/**
 * Bad public items sent over real loopback UDP to a real node, as any peer could: each is
 * refused with its own status and counted under its own reason, and none is stored.
 */
class PublicRecordWireTest {

    private DhtNode node;
    private RawPeer peer;
    private final NodeIdentity owner = NodeIdentity.generate(new SecureRandom(), 0);
    private final NodeIdentity other = NodeIdentity.generate(new SecureRandom(), 0);
    private final byte[] traffic = "traffic".getBytes(StandardCharsets.UTF_8);
    private NodeId key;
    private long now;

    @BeforeEach
    void open() throws Exception {
        node = DhtNode.openUdp(LoopbackCluster.testConfig().build(), NodeIdentity.generate(new SecureRandom(), 8),
                new InetSocketAddress(LoopbackCluster.LOOPBACK, 0));
        peer = new RawPeer(8, null);
        key = PublicRecord.keyFor(owner.publicKey(), "traffic");
        now = System.currentTimeMillis();
    }

    @AfterEach
    void close() {
        peer.close();
        node.close();
        assertEquals(List.of(), LoopbackCluster.liveDhtThreads());
    }

    private byte[] body(byte[] topic, byte[] payload) {
        return PublicRecordRulesTest.rawBody(SignedRecord.PUBLIC_FORMAT, topic, owner.publicKey(), now, now,
                now + 60_000, payload);
    }

    private String store(NodeId under, byte[] record) throws Exception {
        return StoreStatus.describe(PublicRecordsClusterTest.storeRaw(peer, node, under, record));
    }

    @Test
    void eachBadItemIsRefusedWithItsOwnReasonAndNothingIsStored() throws Exception {
        byte[] speed = "speed=87".getBytes(StandardCharsets.UTF_8);
        SignedRecord genuine = SignedRecord.sign(new PublicRecord(owner.publicKey(), "traffic", now, now, now + 60_000,
                speed), owner);

        byte[] forged = genuine.encoded();
        forged[forged.length - 64 - 1] ^= 1;
        assertEquals("INVALID_RECORD", store(key, forged));
        assertEquals(1, node.stats().invalidRecords(DropReason.BAD_SIGNATURE), node.stats().toString());

        byte[] b = body(traffic, speed);
        assertEquals("INVALID_RECORD", store(key, PublicRecordRulesTest.withSignature(b,
                other.sign(DomainSignature.PUBLIC_RECORD, b))));
        assertEquals(2, node.stats().invalidRecords(DropReason.BAD_SIGNATURE), node.stats().toString());

        assertEquals("INVALID_RECORD", store(key, PublicRecordRulesTest.withSignature(b,
                owner.sign(DomainSignature.RECORD, b))));
        assertEquals(3, node.stats().invalidRecords(DropReason.BAD_SIGNATURE), node.stats().toString());

        byte[] big = body(new byte[] {'t'}, new byte[PublicRecord.MAX_PAYLOAD_OCTETS + 1]);
        assertEquals("INVALID_RECORD", store(PublicRecord.keyFor(owner.publicKey(), "t"),
                PublicRecordRulesTest.withSignature(big, owner.sign(DomainSignature.PUBLIC_RECORD, big))));
        assertEquals(1, node.stats().invalidRecords(DropReason.MALFORMED), node.stats().toString());

        byte[] longTopic = body(new byte[33], speed);
        Arrays.fill(longTopic, 2, 35, (byte) 'x');
        assertEquals("INVALID_RECORD", store(key,
                PublicRecordRulesTest.withSignature(longTopic, owner.sign(DomainSignature.PUBLIC_RECORD, longTopic))));
        assertEquals(2, node.stats().invalidRecords(DropReason.MALFORMED), node.stats().toString());

        // A genuine item of another owner under this owner's key.
        SignedRecord theirs = SignedRecord.sign(new PublicRecord(other.publicKey(), "traffic", now, now, now + 60_000,
                speed), other);
        assertEquals(StoreOutcome.REJECTED_KEY_MISMATCH.name(), store(key, theirs.encoded()));
        // A genuine presence record of this owner under the item's key.
        SignedRecord presence = SignedRecord.sign(RecordRulesTest.record(owner, now, now, now + 60_000), owner);
        assertEquals(StoreOutcome.REJECTED_KEY_MISMATCH.name(), store(key, presence.encoded()));
        // Too long a life.
        SignedRecord immortal = SignedRecord.sign(new PublicRecord(owner.publicKey(), "traffic", now, now,
                now + 3 * 60 * 60 * 1000L, speed), owner);
        assertEquals(StoreOutcome.REJECTED_LIFETIME.name(), store(key, immortal.encoded()));

        assertTrue(node.storedRecord(key).get(5, TimeUnit.SECONDS).isEmpty());
        assertEquals(0, node.storedRecords().get(5, TimeUnit.SECONDS));

        // The genuine item is stored, then an older one is refused and a newer one replaces it.
        assertEquals(StoreOutcome.STORED.name(), store(key, genuine.encoded()));
        SignedRecord older = SignedRecord.sign(new PublicRecord(owner.publicKey(), "traffic", now - 1, now, now + 60_000,
                speed), owner);
        assertEquals(StoreOutcome.REJECTED_OLDER_SEQ.name(), store(key, older.encoded()));
        SignedRecord newer = SignedRecord.sign(new PublicRecord(owner.publicKey(), "traffic", now + 1, now, now + 60_000,
                "speed=90".getBytes(StandardCharsets.UTF_8)), owner);
        assertEquals(StoreOutcome.REPLACED.name(), store(key, newer.encoded()));
        assertEquals(newer, node.storedRecord(key).get(5, TimeUnit.SECONDS).orElseThrow());
    }
}
