package org.xp2p.xmpp.link;

/**
 * A fault of the whole stream: the link answers with the stream error and closes. Thrown
 * by the framer and the link's handshake; the message says what the peer did.
 */
public final class StreamFault extends Exception {
    private static final long serialVersionUID = 1L;
    private final StreamErrorCondition condition;

    public StreamFault(StreamErrorCondition condition, String message) {
        super(condition.elementName() + ": " + message);
        this.condition = condition;
    }

    public StreamErrorCondition condition() {
        return condition;
    }
}
