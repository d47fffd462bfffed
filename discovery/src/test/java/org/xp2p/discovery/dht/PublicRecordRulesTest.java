package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.dht.record.PresenceRecord;
import org.xp2p.discovery.dht.record.PublicRecord;
import org.xp2p.discovery.dht.record.RecordStore;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.discovery.dht.record.StoreOutcome;
import org.xp2p.discovery.dht.wire.Datagram;
import org.xp2p.discovery.dht.wire.DropReason;
import org.xp2p.discovery.dht.wire.MalformedDatagramException;
import org.xp2p.discovery.dht.wire.Message;
import org.xp2p.discovery.dht.wire.MessageCodec;
import org.xp2p.discovery.dht.wire.WireWriter;

/**
 * Public data records ("mutable items"): their canonical encoding and key, the storage
 * rules they share with presence records, and every way a bad one is refused.
 */
class PublicRecordRulesTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long NOW = 1_800_000_000_000L;
    static final NodeIdentity OWNER = NodeIdentity.generate(RANDOM, 0);
    private static final NodeIdentity OTHER = NodeIdentity.generate(RANDOM, 0);
    private static final byte[] SPEED = "{\"speed\":87,\"road\":\"A7\"}".getBytes(StandardCharsets.UTF_8);

    static SignedRecord item(NodeIdentity who, long seq, long issued, long expires, byte[] payload) {
        return SignedRecord.sign(new PublicRecord(who.publicKey(), "traffic", seq, issued, expires, payload), who);
    }

    static SignedRecord item(long seq) {
        return item(OWNER, seq, NOW, NOW + 3_600_000, SPEED);
    }

    /** A public record body written field by field, bypassing every check, as an attacker would. */
    static byte[] rawBody(int format, byte[] topic, byte[] key, long seq, long issued, long expires, byte[] payload) {
        return new WireWriter(1100).u8(format).shortBytes(topic).bytes(key).i64(seq).i64(issued).i64(expires)
                .u16(payload.length).bytes(payload).toByteArray();
    }

    static byte[] withSignature(byte[] body, byte[] sig) {
        byte[] all = Arrays.copyOf(body, body.length + sig.length);
        System.arraycopy(sig, 0, all, body.length, sig.length);
        return all;
    }

    private static MalformedDatagramException refused(byte[] encoded) {
        return assertThrows(MalformedDatagramException.class, () -> SignedRecord.decode(encoded));
    }

    @Test
    void publicRecordRoundTripsThroughItsCanonicalEncoding() throws Exception {
        SignedRecord s = item(7);
        SignedRecord back = SignedRecord.decode(s.encoded());
        assertEquals(s, back);
        PublicRecord r = (PublicRecord) back.record();
        assertArrayEquals(OWNER.publicKey(), r.identityKey());
        assertEquals("traffic", r.topic());
        assertEquals(7, r.seq());
        assertEquals(NOW, r.issuedAtMillis());
        assertArrayEquals(SPEED, r.payload());
        assertEquals(SignedRecord.PUBLIC_FORMAT, s.encoded()[0]);
        // An empty payload and a multi-octet topic round-trip too.
        SignedRecord empty = SignedRecord.sign(new PublicRecord(OWNER.publicKey(), "Straße", 1, NOW, NOW + 1, new byte[0]),
                OWNER);
        assertEquals(empty.record(), SignedRecord.decode(empty.encoded()).record());
    }

    @Test
    void storageKeyIsSha256OfDataPrefixKeyAndTopicAndNeverAPresenceKey() {
        byte[] all = new byte[4 + 32 + 7];
        System.arraycopy("data".getBytes(StandardCharsets.US_ASCII), 0, all, 0, 4);
        System.arraycopy(OWNER.publicKey(), 0, all, 4, 32);
        System.arraycopy("traffic".getBytes(StandardCharsets.US_ASCII), 0, all, 36, 7);
        assertEquals(NodeId.ofPublicKey(all), PublicRecord.keyFor(OWNER.publicKey(), "traffic"));
        assertEquals(PublicRecord.keyFor(OWNER.publicKey(), "traffic"), item(1).key());
        assertNotEquals(PresenceRecord.keyFor(OWNER.publicKey(), "traffic".getBytes(StandardCharsets.US_ASCII)),
                item(1).key());
        assertNotEquals(PublicRecord.keyFor(OWNER.publicKey(), "weather"), item(1).key());
        assertNotEquals(PublicRecord.keyFor(OTHER.publicKey(), "traffic"), item(1).key());
    }

    @Test
    void theLargestPayloadWithTheLongestTopicFillsExactly1000OctetsAndItsDatagramsStayUnder1232() throws Exception {
        String topic = "t".repeat(PublicRecord.MAX_TOPIC_OCTETS);
        byte[] payload = new byte[PublicRecord.MAX_PAYLOAD_OCTETS];
        RANDOM.nextBytes(payload);
        SignedRecord big = SignedRecord.sign(new PublicRecord(OWNER.publicKey(), topic, 1, NOW, NOW + 1000, payload),
                OWNER);
        assertEquals(SignedRecord.MAX_OCTETS, big.size());
        assertEquals(big, SignedRecord.decode(big.encoded()));
        // With a network MAC, an IPv6 observed address and the longest token, as a VALUE and as a STORE.
        MessageCodec codec = new MessageCodec(new byte[16]);
        InetSocketAddress v6 = new InetSocketAddress("2001:db8::1", 4000);
        List<Contact> contacts = List.of(OTHER.asContact(v6), OWNER.asContact(v6));
        for (Message m : List.of(new Message.Value(v6, new byte[MessageCodec.MAX_TOKEN_OCTETS], big.encoded(), contacts),
                new Message.Store(big.key(), new byte[MessageCodec.MAX_TOKEN_OCTETS], big.encoded()))) {
            byte[] out = codec.encode(new Datagram(1, OWNER.publicKey(), 0, false, m));
            assertTrue(out.length <= MessageCodec.MAX_DATAGRAM_OCTETS, out.length + " octets");
            assertEquals(m.getClass(), codec.decode(out, out.length, 0).message().getClass());
        }
    }

    @Test
    void aPayloadTooLargeIsRefusedWhenBuiltAndWhenReceived() {
        byte[] tooBig = new byte[PublicRecord.MAX_PAYLOAD_OCTETS + 1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PublicRecord(OWNER.publicKey(), "t", 1, NOW, NOW + 1000, tooBig));
        assertEquals("payload of 845 octets exceeds 844", e.getMessage());
        // Hand-built and validly signed, with a one-octet topic so it still fits 1000 octets: refused as malformed.
        byte[] body = rawBody(SignedRecord.PUBLIC_FORMAT, new byte[] {'t'}, OWNER.publicKey(), 1, NOW, NOW + 1000,
                tooBig);
        byte[] encoded = withSignature(body, OWNER.sign(DomainSignature.PUBLIC_RECORD, body));
        assertTrue(encoded.length <= SignedRecord.MAX_OCTETS);
        MalformedDatagramException m = refused(encoded);
        assertEquals(DropReason.MALFORMED, m.reason());
        assertTrue(m.getMessage().contains("payload of 845 octets exceeds 844"), m.getMessage());
    }

    @Test
    void anEmptyTopicOrOneLongerThan32OctetsIsRefusedWhenBuiltAndWhenReceived() {
        String tooLong = "é".repeat(17);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PublicRecord(OWNER.publicKey(), tooLong, 1, NOW, NOW + 1000, SPEED));
        assertTrue(e.getMessage().contains("34 UTF-8 octets; a topic has 1 to 32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PublicRecord.keyFor(OWNER.publicKey(), ""));
        new PublicRecord(OWNER.publicKey(), "é".repeat(16), 1, NOW, NOW + 1000, SPEED);

        byte[] body = rawBody(SignedRecord.PUBLIC_FORMAT, tooLong.getBytes(StandardCharsets.UTF_8), OWNER.publicKey(),
                1, NOW, NOW + 1000, SPEED);
        MalformedDatagramException m = refused(withSignature(body, OWNER.sign(DomainSignature.PUBLIC_RECORD, body)));
        assertEquals(DropReason.MALFORMED, m.reason());
        assertTrue(m.getMessage().contains("topic of 34 octets exceeds 32"), m.getMessage());

        byte[] empty = rawBody(SignedRecord.PUBLIC_FORMAT, new byte[0], OWNER.publicKey(), 1, NOW, NOW + 1000, SPEED);
        assertEquals(DropReason.MALFORMED,
                refused(withSignature(empty, OWNER.sign(DomainSignature.PUBLIC_RECORD, empty))).reason());
        byte[] notUtf8 = rawBody(SignedRecord.PUBLIC_FORMAT, new byte[] {(byte) 0xC3}, OWNER.publicKey(), 1, NOW,
                NOW + 1000, SPEED);
        assertEquals(DropReason.MALFORMED,
                refused(withSignature(notUtf8, OWNER.sign(DomainSignature.PUBLIC_RECORD, notUtf8))).reason());
    }

    @Test
    void aForgedSignatureIsRefused() {
        byte[] forged = item(3).encoded();
        forged[forged.length - 64 - 3] ^= 1; // one octet of the payload
        assertEquals(DropReason.BAD_SIGNATURE, refused(forged).reason());
        byte[] badSig = item(3).encoded();
        badSig[badSig.length - 1] ^= 1;
        assertEquals(DropReason.BAD_SIGNATURE, refused(badSig).reason());
    }

    @Test
    void aRecordSignedByAnotherKeyThanItsOwnerIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> SignedRecord.sign(new PublicRecord(OWNER.publicKey(), "traffic", 1, NOW, NOW + 1000, SPEED), OTHER));
        // OWNER named as owner, OTHER's signature over exactly those bytes.
        byte[] body = rawBody(SignedRecord.PUBLIC_FORMAT, "traffic".getBytes(StandardCharsets.UTF_8),
                OWNER.publicKey(), 1, NOW, NOW + 1000, SPEED);
        assertEquals(DropReason.BAD_SIGNATURE,
                refused(withSignature(body, OTHER.sign(DomainSignature.PUBLIC_RECORD, body))).reason());
        // OTHER's genuine item offered under OWNER's key: a squat.
        SignedRecord theirs = item(OTHER, 99, NOW, NOW + 3_600_000, SPEED);
        assertEquals(StoreOutcome.REJECTED_KEY_MISMATCH, new RecordStore(10, k -> true).offer(item(1).key(), theirs, NOW));
    }

    @Test
    void aPresenceSignatureNeverVerifiesAsAPublicRecordNorTheReverse() throws Exception {
        // The owner's signature under the presence domain over a public-record body: refused.
        byte[] body = rawBody(SignedRecord.PUBLIC_FORMAT, "traffic".getBytes(StandardCharsets.UTF_8),
                OWNER.publicKey(), 1, NOW, NOW + 1000, SPEED);
        byte[] presenceSigned = withSignature(body, OWNER.sign(DomainSignature.RECORD, body));
        assertEquals(DropReason.BAD_SIGNATURE, refused(presenceSigned).reason());
        // The owner's signature under the public-record domain over a presence body: refused.
        SignedRecord presence = RecordRulesTest.signed(1);
        byte[] pBody = Arrays.copyOf(presence.encoded(), presence.size() - 64);
        assertEquals(DropReason.BAD_SIGNATURE,
                refused(withSignature(pBody, ownerOfRecordRulesTest().sign(DomainSignature.PUBLIC_RECORD, pBody)))
                        .reason());
        // A genuine record of one kind relabelled as the other: the format octet is signed.
        for (SignedRecord genuine : List.of(presence, item(1))) {
            byte[] relabelled = genuine.encoded();
            relabelled[0] = (byte) (relabelled[0] == SignedRecord.FORMAT ? SignedRecord.PUBLIC_FORMAT : SignedRecord.FORMAT);
            refused(relabelled);
        }
        // Unchanged, both still verify: the refusals above are due to the domain alone.
        SignedRecord.decode(presence.encoded());
        SignedRecord.decode(withSignature(body, OWNER.sign(DomainSignature.PUBLIC_RECORD, body)));
    }

    private static NodeIdentity ownerOfRecordRulesTest() {
        return RecordRulesTest.owner();
    }

    @Test
    void unknownRecordFormatsAreAnotherVersion() {
        byte[] body = rawBody(3, "traffic".getBytes(StandardCharsets.UTF_8), OWNER.publicKey(), 1, NOW, NOW + 1000,
                SPEED);
        assertEquals(DropReason.WRONG_VERSION,
                refused(withSignature(body, OWNER.sign(DomainSignature.PUBLIC_RECORD, body))).reason());
    }

    @Test
    void aNewerSeqReplacesAnOlderIsRefusedAndEqualBytesRefresh() {
        RecordStore s = new RecordStore(10, k -> true);
        NodeId key = item(1).key();
        assertEquals(StoreOutcome.STORED, s.offer(key, item(10), NOW));
        assertEquals(StoreOutcome.REFRESHED, s.offer(key, item(10), NOW));
        assertEquals(StoreOutcome.REJECTED_OLDER_SEQ, s.offer(key, item(9), NOW));
        assertEquals(StoreOutcome.REJECTED_SEQ_CONFLICT,
                s.offer(key, item(OWNER, 10, NOW, NOW + 3_600_000, new byte[] {1}), NOW));
        assertEquals(StoreOutcome.REPLACED, s.offer(key, item(11), NOW));
        assertEquals(item(11), s.get(key, NOW).orElseThrow());
        // The owner's presence record lives beside it under its own key.
        SignedRecord presence = SignedRecord.sign(RecordRulesTest.record(OWNER, 1, NOW, NOW + 1000), OWNER);
        assertEquals(StoreOutcome.STORED, s.offer(presence.key(), presence, NOW));
        assertEquals(item(11), s.get(key, NOW).orElseThrow());
    }

    @Test
    void lifetimeIsCappedAndClockSkewToleratedAsForPresence() {
        RecordStore s = new RecordStore(10, k -> true);
        NodeId key = item(1).key();
        assertEquals(StoreOutcome.REJECTED_LIFETIME,
                s.offer(key, item(OWNER, 1, NOW, NOW + RecordStore.MAX_LIFETIME_MILLIS + 1, SPEED), NOW));
        assertEquals(StoreOutcome.REJECTED_FROM_FUTURE,
                s.offer(key, item(OWNER, 1, NOW + 6 * 60_000, NOW + 3_600_000, SPEED), NOW));
        assertEquals(StoreOutcome.REJECTED_EXPIRED,
                s.offer(key, item(OWNER, 1, NOW - 3_600_000, NOW - 6 * 60_000, SPEED), NOW));
        assertEquals(StoreOutcome.STORED, s.offer(key, item(OWNER, 1, NOW + 4 * 60_000, NOW + 3_600_000, SPEED), NOW));
        AllowList allowed = new AllowList();
        allowed.add(OTHER.publicKey());
        assertEquals(StoreOutcome.REJECTED_NOT_ALLOWED, new RecordStore(10, allowed::contains).offer(key, item(1), NOW));
    }

    @Test
    void garbageTruncatedAndMutatedPublicRecordsFailOnlyWithMalformedDatagramException() {
        Random r = new Random(11);
        for (int i = 0; i < 2000; i++) {
            byte[] garbage = new byte[1 + r.nextInt(1100)];
            r.nextBytes(garbage);
            if (r.nextBoolean()) {
                garbage[0] = (byte) SignedRecord.PUBLIC_FORMAT;
            }
            refused(garbage);
        }
        byte[] good = item(5).encoded();
        for (int cut = 0; cut < good.length; cut++) {
            refused(Arrays.copyOf(good, cut));
        }
        refused(Arrays.copyOf(good, good.length + 1));
        for (int i = 0; i < 5000; i++) {
            byte[] bad = good.clone();
            int at = r.nextInt(bad.length);
            byte was = bad[at];
            bad[at] = (byte) r.nextInt(256);
            if (bad[at] != was) {
                refused(bad);
            }
        }
    }
}
