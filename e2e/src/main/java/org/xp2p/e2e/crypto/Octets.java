package org.xp2p.e2e.crypto;

import java.math.BigInteger;

/**
 * Conversions between integers and the fixed-length octet strings of the wire format,
 * which mixes big-endian (hash inputs, RSA) and little-endian (points, signatures,
 * counters) layouts. Stateless.
 */
public final class Octets {
    private Octets() {
    }

    /** {@code value} as exactly {@code length} big-endian octets. */
    public static byte[] bigEndian(BigInteger value, int length) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("negative value");
        }
        byte[] raw = value.toByteArray();
        int start = raw.length > 1 && raw[0] == 0 ? 1 : 0;
        int significant = raw.length - start;
        if (significant > length) {
            throw new IllegalArgumentException("value needs " + significant + " octets, only " + length + " allowed");
        }
        byte[] out = new byte[length];
        System.arraycopy(raw, start, out, length - significant, significant);
        return out;
    }

    /** {@code value} as exactly {@code length} little-endian octets. */
    public static byte[] littleEndian(BigInteger value, int length) {
        return reversed(bigEndian(value, length));
    }

    /** The unsigned integer of little-endian octets {@code [offset, offset+length)}. */
    public static BigInteger fromLittleEndian(byte[] octets, int offset, int length) {
        byte[] be = new byte[length];
        for (int i = 0; i < length; i++) {
            be[i] = octets[offset + length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    /** Whether every octet is zero, looking at all of them whatever they hold (no early exit on secrets). */
    public static boolean isAllZero(byte[] octets) {
        int any = 0;
        for (byte b : octets) {
            any |= b;
        }
        return any == 0;
    }

    public static byte[] reversed(byte[] octets) {
        byte[] out = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            out[i] = octets[octets.length - 1 - i];
        }
        return out;
    }

    /** The low 32 bits of {@code value}, least significant octet first. */
    public static void putLittleEndian32(long value, byte[] out, int offset) {
        out[offset] = (byte) value;
        out[offset + 1] = (byte) (value >>> 8);
        out[offset + 2] = (byte) (value >>> 16);
        out[offset + 3] = (byte) (value >>> 24);
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
