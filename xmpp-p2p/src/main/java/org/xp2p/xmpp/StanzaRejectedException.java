package org.xp2p.xmpp;

import java.util.Objects;
import org.jivesoftware.smack.packet.StanzaError;

/**
 * A stanza refused by a {@link StanzaProtector}: it is dropped (and answered with the
 * stanza error, for iq requests), the link stays up.
 */
public final class StanzaRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final StanzaError.Condition condition;

    public StanzaRejectedException(StanzaError.Condition condition, String message) {
        super(message);
        this.condition = Objects.requireNonNull(condition, "condition");
    }

    public StanzaError.Condition condition() {
        return condition;
    }
}
