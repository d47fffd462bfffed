package org.xp2p.xmpp;

import java.util.Objects;

/**
 * How an inbound stanza reached us: the path, the authenticated peer, and whether it came
 * end-to-end encrypted and verified (or in the clear, e.g. from Pidgin on the LAN).
 *
 * @param path      the path that carried it
 * @param peer      the authenticated sender: full JID, or {@code user@machine} on link-local streams
 * @param protectedByE2e true when it was decrypted and its signature verified
 */
public record Arrival(DeliveryPath path, String peer, boolean protectedByE2e) {
    public Arrival {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(peer, "peer");
    }
}
