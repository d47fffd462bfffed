package org.xp2p.discovery.mdns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The DNS-SD TXT record format (RFC 6763, section 6): a sequence of length-prefixed
 * {@code key=value} strings. We encode it ourselves rather than hand jmDNS a map, because
 * jmDNS silently publishes an empty record when one pair exceeds 255 bytes, and the pair
 * order matters to deployed clients ({@code txtvers=1} first). Pure functions, thread-safe.
 */
public final class TxtRecord {

    /** One length octet limits each {@code key=value} string to this many bytes. */
    public static final int MAX_PAIR_BYTES = 255;

    private TxtRecord() {
    }

    /**
     * Encodes the pairs in the map's iteration order.
     *
     * @throws IllegalArgumentException naming the pair when a key is empty, contains '=' or
     *         non-printable ASCII, or when a pair exceeds {@link #MAX_PAIR_BYTES}
     */
    public static byte[] encode(LinkedHashMap<String, String> pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            String key = pair.getKey();
            checkKey(key);
            byte[] bytes = (key + "=" + pair.getValue()).getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_PAIR_BYTES) {
                throw new IllegalArgumentException("TXT pair '" + key + "=...' is " + bytes.length
                        + " bytes; DNS-SD allows " + MAX_PAIR_BYTES + " per pair (jmDNS would silently publish an"
                        + " empty TXT record): shorten the value of '" + key + "'");
            }
            out.write(bytes.length);
            out.write(bytes, 0, bytes.length);
        }
        if (out.size() == 0) {
            out.write(0); // an empty TXT record is one empty string, never zero bytes
        }
        return out.toByteArray();
    }

    /**
     * Decodes a TXT record leniently, as a browser must: empty strings are skipped, a key
     * without '=' has the empty value, keys are lower-cased (they are case-insensitive) and
     * the first occurrence of a key wins. A truncated string ends the record.
     */
    public static Map<String, String> decode(byte[] record) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (record == null) {
            return pairs;
        }
        int i = 0;
        while (i < record.length) {
            int length = record[i] & 0xff;
            i++;
            if (length == 0) {
                continue;
            }
            if (i + length > record.length) {
                break;
            }
            String text = new String(record, i, length, StandardCharsets.UTF_8);
            i += length;
            int eq = text.indexOf('=');
            String key = (eq < 0 ? text : text.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : text.substring(eq + 1);
            if (!key.isEmpty()) {
                pairs.putIfAbsent(key, value);
            }
        }
        return pairs;
    }

    private static void checkKey(String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a TXT key must not be empty");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '=') {
                throw new IllegalArgumentException("TXT key '" + key + "' must be printable ASCII without '='");
            }
        }
    }
}
