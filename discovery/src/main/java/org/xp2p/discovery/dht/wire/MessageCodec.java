package org.xp2p.discovery.dht.wire;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.xp2p.discovery.dht.Contact;
import org.xp2p.discovery.dht.IdPuzzle;
import org.xp2p.discovery.dht.NodeId;
import org.xp2p.discovery.dht.record.SignedRecord;

/**
 * The byte layout of DHT datagrams, strict in both directions: the encoder never writes
 * more than {@link #MAX_DATAGRAM_OCTETS} (contact lists are cut to fit) and the decoder
 * refuses anything it would not write itself. Decoding checks framing only; signatures,
 * tokens and puzzles are the node's business. Stateless apart from the optional network
 * key; safe from any thread.
 *
 * <p>Header (53 octets): magic "XK", version, type, txid(8), flags (1 = client only,
 * 2 = carries MAC), sender identity key(32), puzzle nonce(8). With a network pre-shared
 * key, a 16-octet HMAC-SHA256 over everything before it closes the datagram.
 */
public final class MessageCodec {

    /** IPv6 minimum MTU (1280) minus IPv6 and UDP headers: never fragmented. */
    public static final int MAX_DATAGRAM_OCTETS = 1232;
    public static final int VERSION = 1;
    public static final int HEADER_OCTETS = 53;
    public static final int NONCE_OCTETS = 16;
    public static final int MAX_TOKEN_OCTETS = 32;
    public static final int MAC_OCTETS = 16;
    private static final int MAGIC_0 = 'X';
    private static final int MAGIC_1 = 'K';
    private static final int FLAG_CLIENT_ONLY = 1;
    private static final int FLAG_MAC = 2;
    private static final int CONTACT_FIXED_OCTETS = 32 + 8;

    /**
     * Zero octets that pad a DIAL_BACK request: with them the request (53 + 16 + 96 = 165
     * octets) outweighs its reply plus the probe (at most 73 + 69 = 142), MACs included.
     */
    public static final int DIAL_BACK_PADDING_OCTETS = 96;

    private static final int PING = 1, PONG = 2, FIND_NODE = 3, NODES = 4, FIND_VALUE = 5, VALUE = 6, STORE = 7,
            STORE_ACK = 8, DIAL_BACK = 9, DIAL_BACK_ACK = 10, DIAL_PROBE = 11;

    private final byte[] networkKey;

    /** @param networkKey the private network's pre-shared key, or {@code null} for an open network */
    public MessageCodec(byte[] networkKey) {
        this.networkKey = networkKey == null ? null : networkKey.clone();
    }

    public byte[] encode(Datagram d) {
        int budget = MAX_DATAGRAM_OCTETS - (networkKey != null ? MAC_OCTETS : 0);
        WireWriter w = new WireWriter(256);
        w.u8(MAGIC_0).u8(MAGIC_1).u8(VERSION).u8(typeOf(d.message())).i64(d.txid())
                .u8((d.clientOnly() ? FLAG_CLIENT_ONLY : 0) | (networkKey != null ? FLAG_MAC : 0))
                .bytes(d.senderKeyUnsafe()).i64(d.puzzleNonce());
        Message m = d.message();
        if (m instanceof Message.Ping p) {
            w.bytes(check(p.nonce(), NONCE_OCTETS, "ping nonce"));
        } else if (m instanceof Message.Pong p) {
            w.address(p.observed()).bytes(check(p.signature(), 64, "pong signature"));
        } else if (m instanceof Message.FindNode f) {
            w.bytes(f.target().bytes());
        } else if (m instanceof Message.Nodes n) {
            w.address(n.observed()).shortBytes(n.token());
            contacts(w, n.contacts(), budget);
        } else if (m instanceof Message.FindValue f) {
            w.bytes(f.key().bytes());
        } else if (m instanceof Message.Value v) {
            w.address(v.observed()).shortBytes(v.token());
            if (v.record() == null) {
                w.u8(0);
            } else {
                w.u8(1).u16(v.record().length).bytes(v.record());
            }
            contacts(w, v.contacts(), budget);
        } else if (m instanceof Message.Store s) {
            w.bytes(s.key().bytes()).shortBytes(s.token()).u16(s.record().length).bytes(s.record());
        } else if (m instanceof Message.StoreAck a) {
            w.address(a.observed()).u8(a.status());
        } else if (m instanceof Message.DialBack b) {
            w.bytes(check(b.nonce(), NONCE_OCTETS, "dial-back nonce")).bytes(new byte[DIAL_BACK_PADDING_OCTETS]);
        } else if (m instanceof Message.DialBackAck a) {
            w.address(a.observed()).u8(a.status());
        } else if (m instanceof Message.DialProbe p) {
            w.bytes(check(p.nonce(), NONCE_OCTETS, "probe nonce"));
        }
        if (w.size() > budget) {
            throw new IllegalArgumentException("datagram of " + w.size() + " octets exceeds " + budget);
        }
        byte[] body = w.toByteArray();
        if (networkKey == null) {
            return body;
        }
        byte[] out = java.util.Arrays.copyOf(body, body.length + MAC_OCTETS);
        System.arraycopy(mac(body, body.length), 0, out, body.length, MAC_OCTETS);
        return out;
    }

    private static byte[] check(byte[] b, int len, String what) {
        if (b.length != len) {
            throw new IllegalArgumentException(what + " has " + b.length + " octets, expected " + len);
        }
        return b;
    }

    /** Writes as many contacts as fit the budget: a short list beats a fragmented datagram. */
    private static void contacts(WireWriter w, List<Contact> contacts, int budget) {
        int room = budget - w.size() - 1;
        int n = 0;
        for (Contact c : contacts) {
            int size = CONTACT_FIXED_OCTETS + WireWriter.addressSize(c.address());
            if (size > room || n == 255) {
                break;
            }
            room -= size;
            n++;
        }
        w.u8(n);
        for (int i = 0; i < n; i++) {
            Contact c = contacts.get(i);
            w.bytes(c.publicKey()).i64(c.puzzleNonce()).address(c.address());
        }
    }

    private static int typeOf(Message m) {
        if (m instanceof Message.Ping) return PING;
        if (m instanceof Message.Pong) return PONG;
        if (m instanceof Message.FindNode) return FIND_NODE;
        if (m instanceof Message.Nodes) return NODES;
        if (m instanceof Message.FindValue) return FIND_VALUE;
        if (m instanceof Message.Value) return VALUE;
        if (m instanceof Message.Store) return STORE;
        if (m instanceof Message.StoreAck) return STORE_ACK;
        if (m instanceof Message.DialBack) return DIAL_BACK;
        if (m instanceof Message.DialBackAck) return DIAL_BACK_ACK;
        return DIAL_PROBE;
    }

    /**
     * Decodes one datagram.
     *
     * @param puzzleBits difficulty contacts in NODES/VALUE lists must meet; failing ones are
     *        left out rather than failing the whole datagram
     * @throws MalformedDatagramException saying which rule the datagram broke
     */
    public Datagram decode(byte[] data, int length, int puzzleBits) throws MalformedDatagramException {
        if (length > MAX_DATAGRAM_OCTETS) {
            throw new MalformedDatagramException(DropReason.OVERSIZE,
                    "datagram of " + length + " octets exceeds " + MAX_DATAGRAM_OCTETS);
        }
        if (length < 3 || (data[0] & 0xff) != MAGIC_0 || (data[1] & 0xff) != MAGIC_1) {
            throw new MalformedDatagramException(DropReason.GARBAGE, "datagram does not start with the DHT magic");
        }
        if ((data[2] & 0xff) != VERSION) {
            throw new MalformedDatagramException(DropReason.WRONG_VERSION,
                    "protocol version " + (data[2] & 0xff) + ", this node speaks " + VERSION);
        }
        if (length < HEADER_OCTETS) {
            throw new MalformedDatagramException(DropReason.TRUNCATED,
                    "datagram of " + length + " octets is shorter than the " + HEADER_OCTETS + "-octet header");
        }
        int flags = data[12] & 0xff;
        int bodyEnd = length;
        if (networkKey != null) {
            if ((flags & FLAG_MAC) == 0 || length < HEADER_OCTETS + MAC_OCTETS) {
                throw new MalformedDatagramException(DropReason.BAD_MAC, "private network datagram without a MAC");
            }
            bodyEnd = length - MAC_OCTETS;
            byte[] expected = mac(data, bodyEnd);
            byte[] got = java.util.Arrays.copyOfRange(data, bodyEnd, length);
            if (!MessageDigest.isEqual(expected, got)) {
                throw new MalformedDatagramException(DropReason.BAD_MAC, "network MAC does not verify");
            }
        } else if ((flags & FLAG_MAC) != 0) {
            // A private network's datagram reaching an open node: the MAC is opaque to us.
            bodyEnd = length - MAC_OCTETS;
            if (bodyEnd < HEADER_OCTETS) {
                throw new MalformedDatagramException(DropReason.TRUNCATED, "MAC flag set but no room for a MAC");
            }
        }
        if ((flags & ~(FLAG_CLIENT_ONLY | FLAG_MAC)) != 0) {
            throw new MalformedDatagramException(DropReason.MALFORMED, "undefined flag bits 0x"
                    + Integer.toHexString(flags));
        }
        WireReader in = new WireReader(data, 3, bodyEnd - 3);
        int type = in.u8("type");
        long txid = in.i64("txid");
        in.u8("flags");
        byte[] sender = in.bytes(32, "sender key");
        long puzzleNonce = in.i64("puzzle nonce");
        Message m = switch (type) {
            case PING -> new Message.Ping(in.bytes(NONCE_OCTETS, "ping nonce"));
            case PONG -> new Message.Pong(in.address("observed address"), in.bytes(64, "pong signature"));
            case FIND_NODE -> new Message.FindNode(NodeId.of(in.bytes(32, "target")));
            case NODES -> new Message.Nodes(in.address("observed address"),
                    in.shortBytes(MAX_TOKEN_OCTETS, "token"), contacts(in, puzzleBits));
            case FIND_VALUE -> new Message.FindValue(NodeId.of(in.bytes(32, "key")));
            case VALUE -> {
                InetSocketAddress observed = in.address("observed address");
                byte[] token = in.shortBytes(MAX_TOKEN_OCTETS, "token");
                int has = in.u8("record flag");
                if (has > 1) {
                    throw new MalformedDatagramException(DropReason.MALFORMED, "record flag " + has);
                }
                byte[] record = has == 1 ? recordBytes(in) : null;
                yield new Message.Value(observed, token, record, contacts(in, puzzleBits));
            }
            case STORE -> new Message.Store(NodeId.of(in.bytes(32, "key")), in.shortBytes(MAX_TOKEN_OCTETS, "token"),
                    recordBytes(in));
            case STORE_ACK -> new Message.StoreAck(in.address("observed address"), in.u8("status"));
            case DIAL_BACK -> {
                byte[] nonce = in.bytes(NONCE_OCTETS, "dial-back nonce");
                for (byte b : in.bytes(DIAL_BACK_PADDING_OCTETS, "dial-back padding")) {
                    if (b != 0) {
                        throw new MalformedDatagramException(DropReason.MALFORMED, "dial-back padding is not zero");
                    }
                }
                yield new Message.DialBack(nonce);
            }
            case DIAL_BACK_ACK -> {
                InetSocketAddress observed = in.address("observed address");
                int status = in.u8("dial-back status");
                if (status > Message.DialBackAck.REFUSED) {
                    throw new MalformedDatagramException(DropReason.MALFORMED, "dial-back status " + status);
                }
                yield new Message.DialBackAck(observed, status);
            }
            case DIAL_PROBE -> new Message.DialProbe(in.bytes(NONCE_OCTETS, "probe nonce"));
            default -> throw new MalformedDatagramException(DropReason.MALFORMED, "unknown message type " + type);
        };
        in.expectEnd("datagram");
        return new Datagram(txid, sender, puzzleNonce, (flags & FLAG_CLIENT_ONLY) != 0, m);
    }

    private static byte[] recordBytes(WireReader in) throws MalformedDatagramException {
        int len = in.u16("record length");
        if (len > SignedRecord.MAX_OCTETS) {
            throw new MalformedDatagramException(DropReason.OVERSIZE,
                    "record of " + len + " octets exceeds " + SignedRecord.MAX_OCTETS);
        }
        return in.bytes(len, "record");
    }

    private static List<Contact> contacts(WireReader in, int puzzleBits) throws MalformedDatagramException {
        int n = in.u8("contact count");
        List<Contact> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] key = in.bytes(32, "contact key");
            long nonce = in.i64("contact puzzle nonce");
            InetSocketAddress address = in.address("contact address");
            if (address.getPort() != 0 && IdPuzzle.holds(key, nonce, puzzleBits)) {
                out.add(Contact.of(key, nonce, address));
            }
        }
        return out;
    }

    private byte[] mac(byte[] data, int length) {
        HMac h = new HMac(new SHA256Digest());
        h.init(new KeyParameter(networkKey));
        h.update(data, 0, length);
        byte[] full = new byte[32];
        h.doFinal(full, 0);
        return java.util.Arrays.copyOf(full, MAC_OCTETS);
    }
}
