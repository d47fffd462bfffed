package org.xp2p.discovery.mdns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TxtRecordTest {

    @Test
    void encodesPairsLengthPrefixedInMapOrder() {
        LinkedHashMap<String, String> pairs = new LinkedHashMap<>();
        pairs.put("txtvers", "1");
        pairs.put("status", "avail");
        byte[] expected = concat(lp("txtvers=1"), lp("status=avail"));
        assertArrayEquals(expected, TxtRecord.encode(pairs));
    }

    @Test
    void emptyMapEncodesAsOneEmptyString() {
        assertArrayEquals(new byte[] {0}, TxtRecord.encode(new LinkedHashMap<>()));
    }

    @Test
    void pairOf255BytesIsAcceptedAnd256IsRefusedNamingTheKey() {
        LinkedHashMap<String, String> ok = new LinkedHashMap<>();
        ok.put("msg", "x".repeat(255 - 4));
        assertEquals(256, TxtRecord.encode(ok).length);
        LinkedHashMap<String, String> tooLong = new LinkedHashMap<>();
        tooLong.put("msg", "x".repeat(255 - 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TxtRecord.encode(tooLong));
        assertTrue(e.getMessage().contains("'msg'") && e.getMessage().contains("256 bytes"), e.getMessage());
    }

    @Test
    void multiByteCharactersCountInBytesNotChars() {
        LinkedHashMap<String, String> pairs = new LinkedHashMap<>();
        pairs.put("msg", "\u20ac".repeat(84)); // 4 + 252 bytes = 256
        assertThrows(IllegalArgumentException.class, () -> TxtRecord.encode(pairs));
    }

    @Test
    void keyWithEqualsSignIsRefused() {
        LinkedHashMap<String, String> pairs = new LinkedHashMap<>();
        pairs.put("a=b", "c");
        assertThrows(IllegalArgumentException.class, () -> TxtRecord.encode(pairs));
    }

    @Test
    void decodesWhatItEncodes() {
        LinkedHashMap<String, String> pairs = new LinkedHashMap<>();
        pairs.put("txtvers", "1");
        pairs.put("msg", "gr\u00fc\u00dfe = hello");
        pairs.put("last", "");
        assertEquals(pairs, TxtRecord.decode(TxtRecord.encode(pairs)));
        assertEquals(List.of("txtvers", "msg", "last"), List.copyOf(TxtRecord.decode(TxtRecord.encode(pairs)).keySet()));
    }

    @Test
    void decodesEmptyRecordAsNoPairs() {
        assertEquals(Map.of(), TxtRecord.decode(new byte[] {0}));
        assertEquals(Map.of(), TxtRecord.decode(new byte[0]));
        assertEquals(Map.of(), TxtRecord.decode(null));
    }

    @Test
    void decodeLowerCasesKeysKeepsFirstDuplicateAndTreatsBareKeyAsEmpty() {
        byte[] record = concat(lp("Status=away"), lp("status=dnd"), lp("vc"), lp(""));
        assertEquals(Map.of("status", "away", "vc", ""), TxtRecord.decode(record));
    }

    @Test
    void decodeStopsAtTruncatedString() {
        byte[] record = concat(lp("a=1"), new byte[] {10, 'b', '='});
        assertEquals(Map.of("a", "1"), TxtRecord.decode(record));
    }

    static byte[] lp(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) b.length;
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }
}
