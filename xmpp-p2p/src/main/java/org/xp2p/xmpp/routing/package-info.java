/**
 * Routing without loss: {@link org.xp2p.xmpp.routing.Router} sends each message and iq
 * over the direct link when possible and over the broker otherwise, both end-to-end
 * encrypted, waits for the receipt or response, fails over to the broker when a link dies,
 * and completes or fails every send; {@link org.xp2p.xmpp.routing.DuplicateFilter} lets the
 * receiver drop the retransmissions it has already delivered.
 */
package org.xp2p.xmpp.routing;
