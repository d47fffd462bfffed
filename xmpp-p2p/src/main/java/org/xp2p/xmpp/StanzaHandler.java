package org.xp2p.xmpp;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;

/**
 * What an application implements to receive stanzas, the same whichever path carried
 * them; {@link Arrival} says which one. Called on the device's executor, never on a
 * network thread; blocking here holds up that executor, not the links.
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
