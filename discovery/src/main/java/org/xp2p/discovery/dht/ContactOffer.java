package org.xp2p.discovery.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.xp2p.discovery.dht.wire.MalformedDatagramException;
import org.xp2p.discovery.dht.wire.WireReader;
import org.xp2p.discovery.dht.wire.WireWriter;

/**
 * A contact offer: a device's identity key, JID and DHT addresses, signed by that identity
 * key and armoured as text for people to exchange out of band (mail, chat, QR code).
 * Importing one ({@link DhtNode#importOffer}) puts the key on the private network's
 * allow-list and tries the addresses as contacts. Immutable.
 */
public record ContactOffer(byte[] identityKey, String jid, List<InetSocketAddress> addresses, long issuedAtMillis,
                           byte[] signature) {

    public static final String BEGIN = "-----BEGIN XP2P CONTACT OFFER-----";
    public static final String END = "-----END XP2P CONTACT OFFER-----";
    private static final int FORMAT = 1;
    private static final int MAX_ADDRESSES = 8;

    public ContactOffer {
        if (identityKey.length != 32 || signature.length != DomainSignature.SIGNATURE_OCTETS) {
            throw new IllegalArgumentException("an offer has a 32-octet key and a 64-octet signature");
        }
        Objects.requireNonNull(jid, "jid");
        addresses = List.copyOf(addresses);
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException(addresses.size() + " addresses exceed " + MAX_ADDRESSES);
        }
        identityKey = identityKey.clone();
        signature = signature.clone();
    }

    /** Signs an offer for {@code owner}, reachable in the DHT at {@code addresses}. */
    public static ContactOffer create(NodeIdentity owner, String jid, List<InetSocketAddress> addresses,
                                      long issuedAtMillis) {
        byte[] body = body(owner.publicKey(), jid, addresses, issuedAtMillis);
        return new ContactOffer(owner.publicKey(), jid, addresses, issuedAtMillis,
                owner.sign(DomainSignature.CONTACT_OFFER, body));
    }

    private static byte[] body(byte[] key, String jid, List<InetSocketAddress> addresses, long issuedAt) {
        WireWriter w = new WireWriter(128).u8(FORMAT).bytes(key).shortString(jid).i64(issuedAt).u8(addresses.size());
        addresses.forEach(w::address);
        return w.toByteArray();
    }

    /** The armoured text: BEGIN line, base64 in 64-column lines, END line. */
    public String armoured() {
        byte[] body = body(identityKey, jid, addresses, issuedAtMillis);
        byte[] all = Arrays.copyOf(body, body.length + signature.length);
        System.arraycopy(signature, 0, all, body.length, signature.length);
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(all);
        return BEGIN + "\n" + b64 + "\n" + END + "\n";
    }

    /**
     * Reads an armoured offer, tolerating surrounding text and whitespace, and checks its
     * signature.
     *
     * @throws ContactOfferException when the armour, encoding or signature is wrong
     */
    public static ContactOffer parse(String text) throws ContactOfferException {
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) {
            throw new ContactOfferException("no \"" + BEGIN + "\" ... \"" + END + "\" block in the text");
        }
        byte[] all;
        try {
            all = Base64.getMimeDecoder().decode(text.substring(b + BEGIN.length(), e).trim());
        } catch (IllegalArgumentException ex) {
            throw new ContactOfferException("offer is not valid base64: " + ex.getMessage());
        }
        if (all.length <= DomainSignature.SIGNATURE_OCTETS) {
            throw new ContactOfferException("offer of " + all.length + " octets is too short");
        }
        int bodyLen = all.length - DomainSignature.SIGNATURE_OCTETS;
        WireReader in = new WireReader(all, 0, bodyLen);
        try {
            int format = in.u8("format");
            if (format != FORMAT) {
                throw new ContactOfferException("offer format " + format + ", this version reads " + FORMAT);
            }
            byte[] key = in.bytes(32, "identity key");
            String jid = in.shortString(255, "JID");
            long issued = in.i64("issued-at");
            int n = in.u8("address count");
            if (n > MAX_ADDRESSES) {
                throw new ContactOfferException(n + " addresses exceed " + MAX_ADDRESSES);
            }
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                addresses.add(in.address("address"));
            }
            in.expectEnd("offer");
            byte[] body = Arrays.copyOf(all, bodyLen);
            byte[] sig = Arrays.copyOfRange(all, bodyLen, all.length);
            if (!DomainSignature.verify(key, DomainSignature.CONTACT_OFFER, body, sig)) {
                throw new ContactOfferException("offer signature does not verify: altered or not made by its key");
            }
            return new ContactOffer(key, jid, addresses, issued, sig);
        } catch (MalformedDatagramException ex) {
            throw new ContactOfferException("offer is malformed: " + ex.getMessage());
        }
    }

    public NodeId nodeId() {
        return NodeId.ofPublicKey(identityKey);
    }

    @Override
    public byte[] identityKey() {
        return identityKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContactOffer c && Arrays.equals(identityKey, c.identityKey) && jid.equals(c.jid)
                && addresses.equals(c.addresses) && issuedAtMillis == c.issuedAtMillis
                && Arrays.equals(signature, c.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(identityKey) * 31 + jid.hashCode();
    }
}
