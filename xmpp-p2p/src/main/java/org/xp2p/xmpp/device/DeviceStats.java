package org.xp2p.xmpp.device;

import org.xp2p.xmpp.routing.Router;

/**
 * What a device counted since start. Every stanza that was dropped is in one of the
 * counters (and was logged once where it was dropped).
 *
 * @param routing            sends per path, retransmissions, deliveries, failures, link opens
 * @param duplicatesDropped  retransmitted stanzas we had already delivered (dropped by id)
 * @param plaintextRefused   unencrypted messages or iq requests refused on direct links
 * @param e2eRejected        stanzas the E2E layer rejected (undecryptable, replayed, unsigned...)
 * @param linksRefused       inbound direct links refused with invalid-from
 * @param streamErrorsSent   stream errors we sent on direct links
 * @param synchE2eRefused    synchE2e requests answered with forbidden
 * @param heldForKeys        messages held until a synchE2e brought the sender's new keys
 * @param droppedOtherwise   stanzas dropped by an internal error or because too many waited for keys
 */
public record DeviceStats(Router.Stats routing, long duplicatesDropped, long plaintextRefused, long e2eRejected,
        long linksRefused, long streamErrorsSent, long synchE2eRefused, long heldForKeys, long droppedOtherwise) {
}
