package org.xp2p.xmpp.routing;

import org.xp2p.xmpp.DeliveryPath;

/**
 * A message the peer confirmed (XEP-0184 receipt).
 *
 * @param id       the message's stanza id
 * @param path     the path of the transmission that was confirmed last
 * @param attempts how many times it was transmitted (1 unless a path failed)
 */
public record Delivery(String id, DeliveryPath path, int attempts) {
}
