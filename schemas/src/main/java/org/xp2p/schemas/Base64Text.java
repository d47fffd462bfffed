package org.xp2p.schemas;

import java.util.Base64;

/**
 * Base64 as XML Schema's {@code base64Binary} reads it: whitespace between characters is
 * allowed, everything else is strict, and unused bits of the last group must be zero, so
 * that every accepted text has exactly one decoding and the validator and the Smack
 * providers agree on what is valid.
 */
public final class Base64Text {
    private Base64Text() {
    }

    /**
     * @throws IllegalArgumentException naming why the text is not base64
     */
    public static byte[] decode(String text) {
        String compact = stripXmlWhitespace(text);
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64: " + Abbreviate.quote(text) + " (" + e.getMessage() + ")");
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(compact)) {
            throw new IllegalArgumentException("not canonical base64 (padding or unused bits): " + Abbreviate.quote(text));
        }
        return decoded;
    }

    public static String encode(byte[] octets) {
        return Base64.getEncoder().encodeToString(octets);
    }

    private static String stripXmlWhitespace(String text) {
        int i = 0;
        while (i < text.length() && !isXmlWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder s = new StringBuilder(text.length());
        for (int j = 0; j < text.length(); j++) {
            char c = text.charAt(j);
            if (!isXmlWhitespace(c)) {
                s.append(c);
            }
        }
        return s.toString();
    }

    private static boolean isXmlWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
