package org.xp2p.discovery.dht.wire;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads big-endian fields from a byte array with strict bounds: every read past the end
 * is a {@link DropReason#TRUNCATED} failure, never an index exception. Not thread-safe;
 * one per decode.
 */
public final class WireReader {

    private final byte[] data;
    private final int end;
    private int pos;

    public WireReader(byte[] data) {
        this(data, 0, data.length);
    }

    public WireReader(byte[] data, int offset, int length) {
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    private void need(int n, String what) throws MalformedDatagramException {
        if (n < 0 || end - pos < n) {
            throw new MalformedDatagramException(DropReason.TRUNCATED,
                    what + " needs " + n + " octets at offset " + pos + ", only " + (end - pos) + " left");
        }
    }

    public int u8(String what) throws MalformedDatagramException {
        need(1, what);
        return data[pos++] & 0xff;
    }

    public int u16(String what) throws MalformedDatagramException {
        need(2, what);
        int v = (data[pos] & 0xff) << 8 | (data[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    public long i64(String what) throws MalformedDatagramException {
        need(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (data[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    public byte[] bytes(int n, String what) throws MalformedDatagramException {
        need(n, what);
        byte[] out = new byte[n];
        System.arraycopy(data, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** A u8 length followed by that many octets, refused above {@code max}. */
    public byte[] shortBytes(int max, String what) throws MalformedDatagramException {
        int n = u8(what + " length");
        if (n > max) {
            throw new MalformedDatagramException(DropReason.MALFORMED, what + " of " + n + " octets exceeds " + max);
        }
        return bytes(n, what);
    }

    /** A u8 length followed by UTF-8 text, refused when not well-formed UTF-8. */
    public String shortString(int maxOctets, String what) throws MalformedDatagramException {
        byte[] raw = shortBytes(maxOctets, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedDatagramException(DropReason.MALFORMED, what + " is not well-formed UTF-8");
        }
    }

    /** An address as {@link WireWriter#address} wrote it: family (4 or 6), octets, port. */
    public InetSocketAddress address(String what) throws MalformedDatagramException {
        int family = u8(what + " family");
        int len = switch (family) {
            case 4 -> 4;
            case 6 -> 16;
            default -> throw new MalformedDatagramException(DropReason.MALFORMED,
                    what + " has address family " + family + ", expected 4 or 6");
        };
        byte[] ip = bytes(len, what);
        int port = u16(what + " port");
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new MalformedDatagramException(DropReason.MALFORMED, what + ": " + e.getMessage());
        }
    }

    /** Fails unless every octet was consumed: canonical encodings have no slack. */
    public void expectEnd(String what) throws MalformedDatagramException {
        if (pos != end) {
            throw new MalformedDatagramException(DropReason.MALFORMED,
                    what + " has " + (end - pos) + " trailing octets");
        }
    }
}
