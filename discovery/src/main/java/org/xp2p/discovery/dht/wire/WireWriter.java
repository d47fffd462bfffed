package org.xp2p.discovery.dht.wire;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends big-endian fields to a growing buffer; the writing half of {@link WireReader}. Not thread-safe. */
public final class WireWriter {

    private byte[] buf;
    private int len;

    public WireWriter(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    public int size() {
        return len;
    }

    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    public WireWriter u8(int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        room(1);
        buf[len++] = (byte) v;
        return this;
    }

    public WireWriter u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        room(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public WireWriter i64(long v) {
        room(8);
        for (int i = 7; i >= 0; i--) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public WireWriter bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public WireWriter shortBytes(byte[] b) {
        return u8(b.length).bytes(b);
    }

    public WireWriter shortString(String s) {
        return shortBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public WireWriter address(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        u8(a.getAddress() instanceof Inet4Address ? 4 : 6);
        bytes(ip);
        return u16(a.getPort());
    }

    /** Octets an address takes in this encoding. */
    public static int addressSize(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address ? 7 : 19;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
