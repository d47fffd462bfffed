package org.xp2p.samples.demo;

/** Failure reasons short enough for one console line. */
final class Reasons {
    private static final int MAX_CHARS = 240;

    private Reasons() {
    }

    /**
     * The failure's message without any stanza quoted in it (a refused handshake quotes the
     * peer's whole error iq; its text is what a reader needs), cut to one line.
     */
    static String brief(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        int stanza = message.indexOf('<');
        if (stanza >= 0) {
            String said = textOf(message);
            message = message.substring(0, stanza).trim();
            if (message.endsWith(":")) {
                message = message.substring(0, message.length() - 1);
            }
            if (said != null) {
                message += ": \"" + said + "\"";
            }
        }
        return message.length() <= MAX_CHARS ? message : message.substring(0, MAX_CHARS - 1) + "…";
    }

    /** The human text of a stanza error quoted in {@code message}, if any. */
    private static String textOf(String message) {
        int open = message.indexOf("<text");
        if (open < 0) {
            return null;
        }
        int start = message.indexOf('>', open);
        int end = message.indexOf("</text>", start);
        if (start < 0 || end <= start) {
            return null;
        }
        return message.substring(start + 1, end).replace("&apos;", "'").replace("&quot;", "\"")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
