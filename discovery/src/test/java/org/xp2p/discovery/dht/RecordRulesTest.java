package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.dht.record.PresenceRecord;
import org.xp2p.discovery.dht.record.RecordStore;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.discovery.dht.record.StoreOutcome;
import org.xp2p.discovery.dht.wire.DropReason;
import org.xp2p.discovery.dht.wire.MalformedDatagramException;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.PublishedKey;

/** Record encoding, signatures and the storage rules every node enforces. */
class RecordRulesTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long NOW = 1_800_000_000_000L;
    private static final NodeIdentity OWNER = NodeIdentity.generate(RANDOM, 0);
    private static final NodeIdentity OTHER = NodeIdentity.generate(RANDOM, 0);

    static PresenceRecord record(NodeIdentity who, long seq, long issued, long expires) {
        byte[] x = new byte[32];
        Arrays.fill(x, (byte) 7);
        return SignedRecord.presence(who.publicKey(), new byte[0], seq, issued, expires,
                List.of("alice@example.org/phone"), List.of(new InetSocketAddress("192.168.1.20", 5222)),
                Optional.of(new InetSocketAddress("203.0.113.9", 40001)),
                E2eElement.of(List.of(new PublishedKey(KeyType.X25519, x))));
    }

    static SignedRecord signed(long seq) {
        return SignedRecord.sign(record(OWNER, seq, NOW, NOW + 3_600_000), OWNER);
    }

    /** A record issued now by the real clock, for tests against real nodes. */
    static SignedRecord signedNow() {
        long now = System.currentTimeMillis();
        return SignedRecord.sign(record(OWNER, now, now, now + 3_600_000), OWNER);
    }

    /** The identity {@link #signed} records belong to. */
    static NodeIdentity owner() {
        return OWNER;
    }

    private static RecordStore store() {
        return new RecordStore(100, k -> true);
    }

    @Test
    void recordRoundTripsThroughItsCanonicalEncoding() throws Exception {
        SignedRecord s = signed(5);
        SignedRecord back = SignedRecord.decode(s.encoded());
        assertEquals(s.record(), back.record());
        assertArrayEquals(s.encoded(), back.encoded());
        assertEquals(PresenceRecord.keyFor(OWNER.publicKey(), new byte[0]), back.key());
        assertTrue(s.size() <= SignedRecord.MAX_OCTETS);
    }

    @Test
    void storageKeyIsSha256OfPresencePrefixKeyAndSalt() {
        byte[] salt = "work".getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[8 + 32 + 4];
        System.arraycopy("presence".getBytes(StandardCharsets.US_ASCII), 0, all, 0, 8);
        System.arraycopy(OWNER.publicKey(), 0, all, 8, 32);
        System.arraycopy(salt, 0, all, 40, 4);
        assertEquals(NodeId.ofPublicKey(all), PresenceRecord.keyFor(OWNER.publicKey(), salt));
        assertFalse(PresenceRecord.keyFor(OWNER.publicKey(), salt).equals(PresenceRecord.keyFor(OWNER.publicKey(),
                new byte[0])));
    }

    @Test
    void everyAlteredOctetBreaksTheSignatureOrTheEncoding() {
        byte[] good = signed(5).encoded();
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            assertThrows(MalformedDatagramException.class, () -> SignedRecord.decode(bad),
                    "flipping a bit of octet " + i + " went unnoticed");
        }
    }

    @Test
    void aRecordSignedByAnotherKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SignedRecord.sign(record(OWNER, 1, NOW, NOW + 1000), OTHER));
        // Splice OTHER's signature onto OWNER's body: bad signature.
        byte[] mine = signed(1).encoded();
        byte[] theirs = SignedRecord.sign(record(OTHER, 1, NOW, NOW + 3_600_000), OTHER).encoded();
        System.arraycopy(theirs, theirs.length - 64, mine, mine.length - 64, 64);
        MalformedDatagramException e = assertThrows(MalformedDatagramException.class, () -> SignedRecord.decode(mine));
        assertEquals(DropReason.BAD_SIGNATURE, e.reason());
    }

    @Test
    void truncatedOversizeAndTrailingRecordsAreRefused() {
        byte[] good = signed(1).encoded();
        assertThrows(MalformedDatagramException.class, () -> SignedRecord.decode(Arrays.copyOf(good, 40)));
        assertThrows(MalformedDatagramException.class, () -> SignedRecord.decode(new byte[1001]));
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThrows(MalformedDatagramException.class, () -> SignedRecord.decode(longer));
    }

    @Test
    void largeKeysAreCarriedAsDigestsSoTheRecordStaysUnder1000Octets() throws Exception {
        byte[] ml = new byte[KeyType.ML128.pubOctets()];
        RANDOM.nextBytes(ml);
        byte[] x = new byte[32];
        PresenceRecord r = SignedRecord.presence(OWNER.publicKey(), new byte[0], 1, NOW, NOW + 1000,
                List.of("a@b/c"), List.of(), Optional.empty(),
                E2eElement.of(List.of(new PublishedKey(KeyType.X25519, x), new PublishedKey(KeyType.ML128, ml))));
        SignedRecord s = SignedRecord.sign(r, OWNER);
        assertTrue(s.size() <= SignedRecord.MAX_OCTETS);
        PresenceRecord back = (PresenceRecord) SignedRecord.decode(s.encoded()).record();
        assertEquals(1, back.e2e().keys().size());
        assertEquals(KeyType.ML128, back.keyDigests().get(0).type());
        assertArrayEquals(NodeId.ofPublicKey(ml).bytes(), back.keyDigests().get(0).sha256());
    }

    @Test
    void aRecordTooLargeToSignIsRefusedWithAReason() {
        List<InetSocketAddress> many = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> new InetSocketAddress("2001:db8::" + (i + 1), 5222)).toList();
        String longJid = "x".repeat(240) + "@example.org";
        PresenceRecord r = SignedRecord.presence(OWNER.publicKey(), new byte[0], 1, NOW, NOW + 1000,
                List.of(longJid, longJid, longJid, longJid), many, Optional.empty(), E2eElement.of(List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignedRecord.sign(r, OWNER));
        assertTrue(e.getMessage().contains("1000"), e.getMessage());
    }

    @Test
    void seqOnlyRisesAndEqualSeqWithEqualBytesRefreshes() {
        RecordStore s = store();
        NodeId key = signed(1).key();
        assertEquals(StoreOutcome.STORED, s.offer(key, signed(10), NOW));
        assertEquals(StoreOutcome.REFRESHED, s.offer(key, signed(10), NOW));
        assertEquals(StoreOutcome.REJECTED_OLDER_SEQ, s.offer(key, signed(9), NOW));
        SignedRecord conflicting = SignedRecord.sign(record(OWNER, 10, NOW + 1, NOW + 3_600_000), OWNER);
        assertEquals(StoreOutcome.REJECTED_SEQ_CONFLICT, s.offer(key, conflicting, NOW));
        assertEquals(StoreOutcome.REPLACED, s.offer(key, signed(11), NOW));
        assertEquals(11, s.get(key, NOW).orElseThrow().seq());
    }

    @Test
    void aRecordOfferedUnderAnotherKeyIsASquatAndRefused() {
        SignedRecord mine = SignedRecord.sign(record(OTHER, 99, NOW, NOW + 3_600_000), OTHER);
        assertEquals(StoreOutcome.REJECTED_KEY_MISMATCH, store().offer(signed(1).key(), mine, NOW));
    }

    @Test
    void lifetimeIsCappedAndClockSkewToleratedWithinFiveMinutes() {
        RecordStore s = store();
        NodeId key = signed(1).key();
        long twoHours = RecordStore.MAX_LIFETIME_MILLIS;
        assertEquals(StoreOutcome.REJECTED_LIFETIME,
                s.offer(key, SignedRecord.sign(record(OWNER, 1, NOW, NOW + twoHours + 1), OWNER), NOW));
        assertEquals(StoreOutcome.REJECTED_FROM_FUTURE,
                s.offer(key, SignedRecord.sign(record(OWNER, 1, NOW + 6 * 60_000, NOW + 3_600_000), OWNER), NOW));
        assertEquals(StoreOutcome.REJECTED_EXPIRED,
                s.offer(key, SignedRecord.sign(record(OWNER, 1, NOW - 3_600_000, NOW - 6 * 60_000), OWNER), NOW));
        // Four minutes ahead or expired four minutes ago: within the skew allowance.
        assertEquals(StoreOutcome.STORED,
                s.offer(key, SignedRecord.sign(record(OWNER, 1, NOW + 4 * 60_000, NOW + 3_600_000), OWNER), NOW));
        RecordStore s2 = store();
        assertEquals(StoreOutcome.STORED,
                s2.offer(key, SignedRecord.sign(record(OWNER, 1, NOW - 3_600_000, NOW - 4 * 60_000), OWNER), NOW));
    }

    @Test
    void recordsExpireAndCapacityIsEnforced() {
        RecordStore s = new RecordStore(1, k -> true);
        SignedRecord r = signed(1);
        assertEquals(StoreOutcome.STORED, s.offer(r.key(), r, NOW));
        SignedRecord other = SignedRecord.sign(record(OTHER, 1, NOW, NOW + 3_600_000), OTHER);
        assertEquals(StoreOutcome.REJECTED_FULL, s.offer(other.key(), other, NOW));
        assertTrue(s.get(r.key(), NOW + 3_600_000 + RecordStore.CLOCK_SKEW_MILLIS).isEmpty());
        assertEquals(StoreOutcome.STORED, s.offer(other.key(), other, NOW + 1));
    }

    @Test
    void privateNetworkStoresOnlyAllowListedKeys() {
        AllowList allowed = new AllowList();
        allowed.add(OTHER.publicKey());
        RecordStore s = new RecordStore(10, allowed::contains);
        assertEquals(StoreOutcome.REJECTED_NOT_ALLOWED, s.offer(signed(1).key(), signed(1), NOW));
        SignedRecord other = SignedRecord.sign(record(OTHER, 1, NOW, NOW + 3_600_000), OTHER);
        assertEquals(StoreOutcome.STORED, s.offer(other.key(), other, NOW));
    }

    @Test
    void idPuzzleBindsANonceToTheKeyAndTheIdIsTheKeysHash() {
        NodeIdentity id = NodeIdentity.generate(RANDOM, 16);
        assertTrue(IdPuzzle.holds(id.publicKey(), id.puzzleNonce(), 16));
        for (long n = 0; n < id.puzzleNonce(); n++) {
            assertFalse(IdPuzzle.holds(id.publicKey(), n, 16), "solve() skipped the smaller solution " + n);
        }
        assertEquals(NodeId.ofPublicKey(id.publicKey()), id.id());
        assertThrows(IllegalArgumentException.class, () -> NodeIdentity.of(
                new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(RANDOM), 12345L, 20));
    }
}
