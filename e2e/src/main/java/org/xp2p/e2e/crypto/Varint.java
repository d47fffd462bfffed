package org.xp2p.e2e.crypto;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/** The length prefix of {@code aes} plaintexts: 7 bits an octet, least significant group first. */
final class Varint {
    /** Longest prefix accepted: 5 octets carry any int. */
    private static final int MAX_OCTETS = 5;

    private Varint() {
    }

    static void write(int value, ByteArrayOutputStream out) {
        long v = value & 0xFFFF_FFFFL;
        while (v >= 0x80) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** The data of varint(length) || data || fill. */
    static byte[] readFramed(byte[] framed) throws GeneralSecurityException {
        long length = 0;
        int shift = 0;
        int at = 0;
        while (true) {
            if (at >= framed.length || at >= MAX_OCTETS) {
                throw new GeneralSecurityException("aes plaintext has no valid length prefix");
            }
            int b = framed[at++] & 0xff;
            length |= (long) (b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (length > framed.length - at) {
            throw new GeneralSecurityException("aes length prefix says " + length + " octets, only "
                    + (framed.length - at) + " follow");
        }
        return Arrays.copyOfRange(framed, at, at + (int) length);
    }
}
