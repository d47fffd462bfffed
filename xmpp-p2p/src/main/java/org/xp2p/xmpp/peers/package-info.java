/**
 * What a device knows about its peers: {@link org.xp2p.xmpp.peers.PeerDirectory} merges
 * {@link org.xp2p.discovery.PeerInfo} snapshots from every source (trusted sources beat
 * mDNS, newest wins per field) and {@link org.xp2p.xmpp.peers.DirectoryKeyBook} feeds each
 * peer's merged keys to the e2e module's {@link org.xp2p.e2e.PeerKeyBook}, which follows
 * them through rotations.
 */
package org.xp2p.xmpp.peers;
