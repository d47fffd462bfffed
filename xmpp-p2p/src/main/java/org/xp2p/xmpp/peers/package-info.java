/**
 * What a device knows about its peers: {@link org.xp2p.xmpp.peers.PeerDirectory} merges
 * {@link org.xp2p.discovery.PeerInfo} snapshots from every source (trusted sources beat
 * mDNS, newest wins per field) and {@link org.xp2p.xmpp.peers.PeerKeyBook} follows each
 * peer's E2E keys through its rotations.
 */
package org.xp2p.xmpp.peers;
