package org.xp2p.xmpp.link;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Splits the bytes of an XML stream into its header, its top-level elements (stanzas,
 * features, stream errors) and its end, before any character decoding: a multi-byte UTF-8
 * character split across TCP segments is simply two calls to {@link #feed}. Enforces the
 * maximum element size while the bytes arrive (nothing larger is ever buffered), refuses
 * comments, processing instructions and DTDs ({@code restricted-xml}), mismatched tags and
 * text between stanzas ({@code not-well-formed}); whitespace between stanzas (keep-alives)
 * is skipped. The well-formedness inside an element is left to the XML parser that reads it.
 *
 * <p>Not thread-safe: owned by one link's reader thread.
 */
public final class StreamFramer {

    /** Receives what the framer finds, on the thread calling {@link #feed}. */
    public interface Sink {
        void header(StreamHeader header) throws StreamFault;

        /**
         * One complete top-level element.
         *
         * @param qname its tag name as written, e.g. {@code message} or {@code stream:features}
         * @param xml   its exact bytes
         */
        void element(String qname, byte[] xml) throws StreamFault;

        /** The peer's {@code </stream:stream>}. */
        void end() throws StreamFault;
    }

    /** Deepest element nesting accepted, the stream element counting as one. */
    public static final int MAX_DEPTH = 64;

    private static final byte[] CDATA_OPEN = "<![CDATA[".getBytes(StandardCharsets.US_ASCII);

    private enum Mode { TEXT, TAG, QUOTE, BANG, PI, CDATA, DONE }

    private final int maxElementBytes;
    private final Sink sink;
    private final Deque<String> open = new ArrayDeque<>();
    private Mode mode = Mode.TEXT;
    private byte quote;
    private byte[] tag = new byte[256];
    private int tagLength;
    private byte[] element = new byte[256];
    private int elementLength;
    private long total;

    /** @param maxElementBytes the largest stanza (and stream header) accepted, in bytes */
    public StreamFramer(int maxElementBytes, Sink sink) {
        if (maxElementBytes < 64) {
            throw new IllegalArgumentException("maxElementBytes " + maxElementBytes + " is too small for any stanza");
        }
        this.maxElementBytes = maxElementBytes;
        this.sink = sink;
    }

    /** True once the peer's stream end was seen; later bytes are ignored. */
    public boolean ended() {
        return mode == Mode.DONE;
    }

    /** Total bytes fed so far. */
    public long bytesRead() {
        return total;
    }

    public void feed(byte[] buf, int off, int len) throws StreamFault {
        total += len;
        for (int i = off; i < off + len; i++) {
            byte b = buf[i];
            switch (mode) {
                case TEXT -> text(b);
                case TAG -> inTag(b);
                case QUOTE -> inQuote(b);
                case BANG -> bang(b);
                case PI -> pi(b);
                case CDATA -> cdata(b);
                case DONE -> {
                    return;
                }
            }
        }
    }

    private int depth() {
        return open.size();
    }

    private void text(byte b) throws StreamFault {
        if (b == '<') {
            mode = Mode.TAG;
            tagLength = 0;
            tagByte(b);
            return;
        }
        if (depth() >= 2) {
            elementByte(b);
        } else if (!(b == ' ' || b == '\t' || b == '\r' || b == '\n')) {
            if (depth() == 0 && isBom(b)) {
                return;
            }
            throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED,
                    depth() == 0 ? "text before the stream header" : "text between stanzas");
        }
    }

    private static boolean isBom(byte b) {
        return b == (byte) 0xEF || b == (byte) 0xBB || b == (byte) 0xBF;
    }

    private void inTag(byte b) throws StreamFault {
        tagByte(b);
        if (tagLength == 2 && b == '!') {
            mode = Mode.BANG;
        } else if (tagLength == 2 && b == '?') {
            mode = Mode.PI;
        } else if (b == '"' || b == '\'') {
            quote = b;
            mode = Mode.QUOTE;
        } else if (b == '<') {
            throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, "'<' inside a tag");
        } else if (b == '>') {
            mode = Mode.TEXT;
            finishTag();
        }
    }

    private void inQuote(byte b) throws StreamFault {
        tagByte(b);
        if (b == quote) {
            mode = Mode.TAG;
        } else if (b == '<') {
            throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, "'<' inside an attribute value");
        }
    }

    private void bang(byte b) throws StreamFault {
        tagByte(b);
        if (tagLength == 4 && tag[2] == '-' && tag[3] == '-') {
            throw new StreamFault(StreamErrorCondition.RESTRICTED_XML, "XML comments are not allowed in XMPP streams");
        }
        if (tagLength <= CDATA_OPEN.length && Arrays.equals(tag, 0, tagLength, CDATA_OPEN, 0, tagLength)) {
            if (tagLength == CDATA_OPEN.length) {
                if (depth() < 2) {
                    throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, "CDATA outside a stanza");
                }
                mode = Mode.CDATA;
                tagLength = 0;
            }
            return;
        }
        throw new StreamFault(StreamErrorCondition.RESTRICTED_XML,
                "document type declarations are not allowed in XMPP streams");
    }

    private void pi(byte b) throws StreamFault {
        tagByte(b);
        if (b == '>' && tag[tagLength - 2] == '?') {
            String text = new String(tag, 0, tagLength, StandardCharsets.UTF_8);
            if (depth() == 0 && (text.startsWith("<?xml ") || text.startsWith("<?xml?"))) {
                mode = Mode.TEXT;
                return;
            }
            throw new StreamFault(StreamErrorCondition.RESTRICTED_XML, "processing instructions are not allowed: "
                    + StreamHeader.abbreviate(text));
        }
    }

    private void cdata(byte b) throws StreamFault {
        elementByte(b);
        if (b == '>' && elementLength >= 3 && element[elementLength - 2] == ']' && element[elementLength - 3] == ']') {
            mode = Mode.TEXT;
        }
    }

    private void tagByte(byte b) throws StreamFault {
        if (tagLength == tag.length) {
            if (tagLength >= maxElementBytes) {
                throw new StreamFault(StreamErrorCondition.POLICY_VIOLATION, "a tag longer than " + maxElementBytes
                        + " bytes");
            }
            tag = Arrays.copyOf(tag, Math.min(maxElementBytes, tag.length * 2));
        }
        tag[tagLength++] = b;
        if (depth() >= 2) {
            elementByte(b);
        }
    }

    private void elementByte(byte b) throws StreamFault {
        if (elementLength == element.length) {
            if (elementLength >= maxElementBytes) {
                throw new StreamFault(StreamErrorCondition.POLICY_VIOLATION, "stanza larger than the limit of "
                        + maxElementBytes + " bytes");
            }
            element = Arrays.copyOf(element, Math.min(maxElementBytes, element.length * 2));
        }
        element[elementLength++] = b;
    }

    private void finishTag() throws StreamFault {
        boolean endTag = tagLength > 1 && tag[1] == '/';
        String name = tagName(endTag ? 2 : 1);
        if (endTag) {
            if (open.isEmpty()) {
                throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, "</" + name + "> closes nothing");
            }
            String expected = open.pop();
            if (!expected.equals(name)) {
                throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, "</" + name + "> closes <" + expected + ">");
            }
            if (depth() == 1) {
                emitElement(name);
            } else if (depth() == 0) {
                mode = Mode.DONE;
                sink.end();
            }
            return;
        }
        boolean empty = isEmptyElementTag();
        switch (depth()) {
            case 0 -> {
                if (empty) {
                    throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, "the stream header must not be an empty element");
                }
                open.push(name);
                sink.header(StreamHeader.parse(new String(tag, 0, tagLength, StandardCharsets.UTF_8)));
            }
            case 1 -> {
                elementLength = 0;
                for (int i = 0; i < tagLength; i++) {
                    elementByte(tag[i]);
                }
                if (empty) {
                    emitElement(name);
                } else {
                    open.push(name);
                }
            }
            default -> {
                if (!empty) {
                    if (depth() >= MAX_DEPTH) {
                        throw new StreamFault(StreamErrorCondition.POLICY_VIOLATION, "elements nested deeper than "
                                + MAX_DEPTH);
                    }
                    open.push(name);
                }
            }
        }
    }

    private void emitElement(String name) throws StreamFault {
        byte[] xml = Arrays.copyOf(element, elementLength);
        elementLength = 0;
        if (element.length > 64 * 1024) {
            element = new byte[256]; // do not keep a large buffer after one large stanza
        }
        sink.element(name, xml);
    }

    private boolean isEmptyElementTag() {
        int i = tagLength - 2;
        while (i > 0 && isSpace(tag[i])) {
            i--;
        }
        return tag[i] == '/';
    }

    private String tagName(int start) throws StreamFault {
        int end = start;
        while (end < tagLength - 1 && !isSpace(tag[end]) && tag[end] != '/' && tag[end] != '>') {
            end++;
        }
        if (end == start) {
            throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, "a tag without a name");
        }
        byte first = tag[start];
        if (first == '-' || first == '.' || (first >= '0' && first <= '9')) {
            throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, "a tag name cannot start with '" + (char) first + "'");
        }
        if (tagName(start, end).isEmpty()) {
            throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, "a tag without a name");
        }
        return tagName(start, end);
    }

    private String tagName(int start, int end) {
        return new String(tag, start, end - start, StandardCharsets.UTF_8);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}
