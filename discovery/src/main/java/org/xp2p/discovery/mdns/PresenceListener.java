package org.xp2p.discovery.mdns;

import org.xp2p.discovery.PeerInfo;

/**
 * Receives what the mDNS browser learns about {@code _presence._tcp} peers. Called on the
 * executor the owner handed to {@link MdnsPresence}, one call at a time, in order; never
 * on jmDNS's own thread.
 */
public interface PresenceListener {

    /** A peer was seen and resolved for the first time (addresses, port and TXT known). */
    void peerAdded(PeerInfo peer);

    /** A known peer changed its TXT record, addresses or port. */
    void peerUpdated(PeerInfo peer);

    /** A peer said goodbye or its records expired. */
    void peerRemoved(String instance);
}
