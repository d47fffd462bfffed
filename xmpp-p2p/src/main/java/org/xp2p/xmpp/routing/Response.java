package org.xp2p.xmpp.routing;

import org.jivesoftware.smack.packet.IQ;
import org.xp2p.xmpp.DeliveryPath;

/**
 * The answer to an iq request, decrypted: a result or an error.
 *
 * @param iq       the response
 * @param path     the path the request last took
 * @param attempts how many times the request was transmitted
 */
public record Response(IQ iq, DeliveryPath path, int attempts) {
}
