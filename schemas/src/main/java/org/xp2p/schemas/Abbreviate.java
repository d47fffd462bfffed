package org.xp2p.schemas;

/** Quotes untrusted text for error messages without letting a huge value flood a log. */
public final class Abbreviate {
    /** Characters of a value shown before it is cut. */
    public static final int MAX_SHOWN_CHARS = 40;

    private Abbreviate() {
    }

    /** {@code 'value'}, or {@code 'first 40 chars…' (12345 characters)} for a long one. */
    public static String quote(CharSequence value) {
        if (value == null) {
            return "null";
        }
        if (value.length() <= MAX_SHOWN_CHARS) {
            return "'" + value + "'";
        }
        return "'" + value.subSequence(0, MAX_SHOWN_CHARS) + "…' (" + value.length() + " characters)";
    }
}
