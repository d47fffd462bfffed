package org.xp2p.xmpp;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;

/**
 * What an application implements to receive stanzas, the same whichever path carried
 * them; {@link Arrival} says which one. Called on a thread of the device, never on a
 * network thread, one stanza at a time per path in its arrival order (the broker device
 * has one inbound thread for all paths; the link-local device one lane per link).
 *
 * <p>Blocking here holds up the stanzas behind, responses among them: on the broker
 * device, waiting here for the answer to one of its own requests ends only when that
 * request times out, and once a path has 512 stanzas waiting its reader stops reading,
 * which slows the sender through TCP instead of buffering without bound. Hand long work
 * to an executor of your own.
 */
public interface StanzaHandler {

    void onMessage(Message message, Arrival arrival);

    /**
     * Answers an iq {@code get} or {@code set}.
     *
     * @return the result or error to send back, or null for {@code service-unavailable}
     */
    default IQ onIqRequest(IQ request, Arrival arrival) {
        return null;
    }
}
