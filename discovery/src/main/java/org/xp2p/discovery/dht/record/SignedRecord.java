package org.xp2p.discovery.dht.record;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.xp2p.discovery.dht.DomainSignature;
import org.xp2p.discovery.dht.NodeId;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.discovery.dht.wire.DropReason;
import org.xp2p.discovery.dht.wire.MalformedDatagramException;
import org.xp2p.discovery.dht.wire.WireReader;
import org.xp2p.discovery.dht.wire.WireWriter;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * A record of any kind in its one canonical encoding, followed by the identity key's
 * signature over the kind's domain ({@link DomainSignature#RECORD} for presence,
 * {@link DomainSignature#PUBLIC_RECORD} for public data) and those bytes. The first octet
 * names the kind and is itself signed; with the separate domains, a signature the owner
 * made over one kind can never verify as the other, whatever the bytes. An instance exists
 * only for bytes that decoded strictly and whose signature verified, so holding one means
 * holding a genuine statement of the key's owner. At most {@link #MAX_OCTETS} octets.
 * Immutable.
 *
 * <p>Presence layout (big-endian): format(1)=1 salt(len8+octets) identityKey(32) seq(8)
 * issuedAt(8) expiresAt(8) jids(n8 x len8+utf8) local(n8 x address) external(0|1, address)
 * cipherFlags(1: aes=1 cha=2 acp=4) keys(n8 x type(len8+ascii) pub(len16+octets))
 * digests(n8 x type(len8+ascii) sha256(32)) signature(64).
 *
 * <p>Public data layout: format(1)=2 topic(len8+utf8) identityKey(32) seq(8) issuedAt(8)
 * expiresAt(8) payload(len16+octets) signature(64).
 */
public final class SignedRecord {

    public static final int MAX_OCTETS = 1000;
    /** Format octet of a {@link PresenceRecord}. */
    public static final int FORMAT = 1;
    /** Format octet of a {@link PublicRecord}. */
    public static final int PUBLIC_FORMAT = 2;
    /** Keys with a larger {@code pub} (RSA, ML-*) are carried as digests, never inlined. */
    public static final int MAX_INLINE_PUB_OCTETS = 133;
    private static final int MAX_JID_OCTETS = 255;

    private final DhtRecord record;
    private final byte[] encoded;

    private SignedRecord(DhtRecord record, byte[] encoded) {
        this.record = record;
        this.encoded = encoded;
    }

    /**
     * Signs a record with its owner's identity.
     *
     * @throws IllegalArgumentException when the identity is not the record's key or the
     *         encoding exceeds {@link #MAX_OCTETS}
     */
    public static SignedRecord sign(DhtRecord record, NodeIdentity owner) {
        if (!Arrays.equals(record.identityKey(), owner.publicKey())) {
            throw new IllegalArgumentException("a record can only be signed by its own identity key");
        }
        byte[] body = record instanceof PresenceRecord p ? encodeBody(p) : encodeBody((PublicRecord) record);
        byte[] sig = owner.sign(domainOf(record), body);
        byte[] all = Arrays.copyOf(body, body.length + sig.length);
        System.arraycopy(sig, 0, all, body.length, sig.length);
        if (all.length > MAX_OCTETS) {
            throw new IllegalArgumentException("signed record takes " + all.length + " octets, the limit is "
                    + MAX_OCTETS + (record instanceof PresenceRecord ? "; publish fewer endpoints or JIDs" : ""));
        }
        return new SignedRecord(record, all);
    }

    /**
     * Splits {@code keys} into inlined keys and digests by size, so large key sets fit.
     */
    public static PresenceRecord presence(byte[] identityKey, byte[] salt, long seq, long issuedAt, long expiresAt,
                                          List<String> jids, List<InetSocketAddress> local,
                                          Optional<InetSocketAddress> external, E2eElement keys) {
        List<PublishedKey> inline = new ArrayList<>();
        List<KeyDigest> digests = new ArrayList<>();
        for (PublishedKey k : keys.keys()) {
            byte[] pub = k.pub();
            if (pub.length <= MAX_INLINE_PUB_OCTETS) {
                inline.add(k);
            } else {
                digests.add(new KeyDigest(k.type(), NodeId.ofPublicKey(pub).bytes()));
            }
        }
        return new PresenceRecord(identityKey, salt, seq, issuedAt, expiresAt, jids, local, external,
                new E2eElement(keys.aes(), keys.cha(), keys.acp(), inline), digests);
    }

    /** The signature domain of a record's kind: each kind has its own. */
    public static String domainOf(DhtRecord record) {
        return record instanceof PresenceRecord ? DomainSignature.RECORD : DomainSignature.PUBLIC_RECORD;
    }

    private static byte[] encodeBody(PublicRecord r) {
        byte[] payload = r.payload();
        return new WireWriter(128 + payload.length).u8(PUBLIC_FORMAT).shortBytes(PublicRecord.topicOctets(r.topic()))
                .bytes(r.identityKey()).i64(r.seq()).i64(r.issuedAtMillis()).i64(r.expiresAtMillis())
                .u16(payload.length).bytes(payload).toByteArray();
    }

    private static byte[] encodeBody(PresenceRecord r) {
        WireWriter w = new WireWriter(512);
        w.u8(FORMAT).shortBytes(r.salt()).bytes(r.identityKey()).i64(r.seq()).i64(r.issuedAtMillis())
                .i64(r.expiresAtMillis());
        w.u8(r.jids().size());
        for (String jid : r.jids()) {
            byte[] utf8 = jid.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (utf8.length > MAX_JID_OCTETS) {
                throw new IllegalArgumentException("JID of " + utf8.length + " octets exceeds " + MAX_JID_OCTETS);
            }
            w.shortBytes(utf8);
        }
        w.u8(r.localEndpoints().size());
        r.localEndpoints().forEach(w::address);
        w.u8(r.externalEndpoint().isPresent() ? 1 : 0);
        r.externalEndpoint().ifPresent(w::address);
        E2eElement e = r.e2e();
        w.u8((e.aes() ? 1 : 0) | (e.cha() ? 2 : 0) | (e.acp() ? 4 : 0));
        if (e.keys().size() > 255 || r.keyDigests().size() > 255) {
            throw new IllegalArgumentException("a record carries at most 255 keys and 255 digests");
        }
        w.u8(e.keys().size());
        for (PublishedKey k : e.keys()) {
            byte[] pub = k.pub();
            if (pub.length > MAX_INLINE_PUB_OCTETS) {
                throw new IllegalArgumentException(k.type().elementName() + " key of " + pub.length
                        + " octets is too large to inline; carry it as a KeyDigest");
            }
            w.shortString(k.type().elementName()).u16(pub.length).bytes(pub);
        }
        w.u8(r.keyDigests().size());
        for (KeyDigest d : r.keyDigests()) {
            w.shortString(d.type().elementName()).bytes(d.sha256());
        }
        return w.toByteArray();
    }

    /**
     * Decodes and verifies a record received from anyone.
     *
     * @throws MalformedDatagramException OVERSIZE, TRUNCATED or MALFORMED when the bytes are
     *         not a canonical record, BAD_SIGNATURE when the signature does not verify
     */
    public static SignedRecord decode(byte[] encoded) throws MalformedDatagramException {
        if (encoded.length > MAX_OCTETS) {
            throw new MalformedDatagramException(DropReason.OVERSIZE,
                    "record of " + encoded.length + " octets exceeds " + MAX_OCTETS);
        }
        if (encoded.length < DomainSignature.SIGNATURE_OCTETS + 1) {
            throw new MalformedDatagramException(DropReason.TRUNCATED, "record of " + encoded.length
                    + " octets is shorter than a signature");
        }
        int bodyLen = encoded.length - DomainSignature.SIGNATURE_OCTETS;
        WireReader in = new WireReader(encoded, 0, bodyLen);
        int format = in.u8("record format");
        DhtRecord r = switch (format) {
            case FORMAT -> decodePresence(in);
            case PUBLIC_FORMAT -> decodePublic(in);
            default -> throw new MalformedDatagramException(DropReason.WRONG_VERSION, "record format " + format
                    + ", this node reads formats " + FORMAT + " (presence) and " + PUBLIC_FORMAT + " (public data)");
        };
        in.expectEnd("record body");
        byte[] body = Arrays.copyOf(encoded, bodyLen);
        byte[] sig = Arrays.copyOfRange(encoded, bodyLen, encoded.length);
        if (!DomainSignature.verify(r.identityKey(), domainOf(r), body, sig)) {
            throw new MalformedDatagramException(DropReason.BAD_SIGNATURE,
                    "record signature does not verify under its identity key");
        }
        return new SignedRecord(r, encoded.clone());
    }

    private static PublicRecord decodePublic(WireReader in) throws MalformedDatagramException {
        String topic = in.shortString(PublicRecord.MAX_TOPIC_OCTETS, "topic");
        byte[] identityKey = in.bytes(32, "identity key");
        long seq = in.i64("seq");
        long issued = in.i64("issued-at");
        long expires = in.i64("expires-at");
        int len = in.u16("payload length");
        if (len > PublicRecord.MAX_PAYLOAD_OCTETS) {
            throw malformed("payload of " + len + " octets exceeds " + PublicRecord.MAX_PAYLOAD_OCTETS);
        }
        byte[] payload = in.bytes(len, "payload");
        try {
            return new PublicRecord(identityKey, topic, seq, issued, expires, payload);
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
    }

    private static PresenceRecord decodePresence(WireReader in) throws MalformedDatagramException {
        byte[] salt = in.shortBytes(PresenceRecord.MAX_SALT_OCTETS, "salt");
        byte[] identityKey = in.bytes(32, "identity key");
        long seq = in.i64("seq");
        long issued = in.i64("issued-at");
        long expires = in.i64("expires-at");
        int jidCount = in.u8("JID count");
        if (jidCount == 0 || jidCount > PresenceRecord.MAX_JIDS) {
            throw malformed(jidCount + " JIDs, a record names 1 to " + PresenceRecord.MAX_JIDS);
        }
        List<String> jids = new ArrayList<>();
        for (int i = 0; i < jidCount; i++) {
            jids.add(in.shortString(MAX_JID_OCTETS, "JID"));
        }
        int localCount = in.u8("local endpoint count");
        if (localCount > PresenceRecord.MAX_ENDPOINTS) {
            throw malformed(localCount + " local endpoints exceed " + PresenceRecord.MAX_ENDPOINTS);
        }
        List<InetSocketAddress> local = new ArrayList<>();
        for (int i = 0; i < localCount; i++) {
            local.add(in.address("local endpoint"));
        }
        int hasExternal = in.u8("external flag");
        if (hasExternal > 1) {
            throw malformed("external flag " + hasExternal + " is neither 0 nor 1");
        }
        Optional<InetSocketAddress> external = hasExternal == 1 ? Optional.of(in.address("external endpoint"))
                : Optional.empty();
        int flags = in.u8("cipher flags");
        if ((flags & ~7) != 0) {
            throw malformed("cipher flags 0x" + Integer.toHexString(flags) + " set undefined bits");
        }
        int keyCount = in.u8("key count");
        List<PublishedKey> keys = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            KeyType type = keyType(in);
            int len = in.u16("key length");
            if (len > MAX_INLINE_PUB_OCTETS) {
                throw malformed(type.elementName() + " key of " + len + " octets is inlined above "
                        + MAX_INLINE_PUB_OCTETS);
            }
            byte[] pub = in.bytes(len, "key");
            try {
                keys.add(new PublishedKey(type, pub));
            } catch (IllegalArgumentException e) {
                throw malformed("published key: " + e.getMessage());
            }
        }
        int digestCount = in.u8("digest count");
        List<KeyDigest> digests = new ArrayList<>();
        for (int i = 0; i < digestCount; i++) {
            KeyType type = keyType(in);
            digests.add(new KeyDigest(type, in.bytes(32, "key digest")));
        }
        try {
            return new PresenceRecord(identityKey, salt, seq, issued, expires, jids, local, external,
                    new E2eElement((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, keys), digests);
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
    }

    private static KeyType keyType(WireReader in) throws MalformedDatagramException {
        String name = in.shortString(16, "key type");
        return KeyType.byElementName(name).orElseThrow(() -> malformed("unknown key type \"" + name + "\""));
    }

    private static MalformedDatagramException malformed(String message) {
        return new MalformedDatagramException(DropReason.MALFORMED, message);
    }

    /** The verified statement; switch over its kind ({@link PresenceRecord} or {@link PublicRecord}). */
    public DhtRecord record() {
        return record;
    }

    /** The storage key this record belongs under. */
    public NodeId key() {
        return record.key();
    }

    public long seq() {
        return record.seq();
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    public int size() {
        return encoded.length;
    }

    /** Same octets: the same statement, signature included. */
    public boolean sameBytes(SignedRecord o) {
        return Arrays.equals(encoded, o.encoded);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedRecord s && Arrays.equals(encoded, s.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "SignedRecord[" + size() + " octets, " + record + "]";
    }
}
