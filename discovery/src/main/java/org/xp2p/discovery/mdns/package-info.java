/**
 * XEP-0174 link-local presence over mDNS/DNS-SD (jmDNS): {@link org.xp2p.discovery.mdns.MdnsPresence}
 * binds one responder to one explicit interface address (IPv4 or IPv6; there is no "all
 * interfaces" default), announces {@code _presence._tcp} instances
 * ({@link org.xp2p.discovery.mdns.LinkLocalPresence}, TXT encoded by
 * {@link org.xp2p.discovery.mdns.TxtRecord} with {@code txtvers=1} first and the 255-byte pair
 * limit checked) and browses peers into {@link org.xp2p.discovery.PeerInfo} snapshots for a
 * {@link org.xp2p.discovery.mdns.PresenceListener}, on the owner's executor, never on jmDNS's
 * thread. Name conflicts are renamed {@code user@machine-1}, {@code -2}
 * ({@link org.xp2p.discovery.mdns.XepNameRegister}).
 */
package org.xp2p.discovery.mdns;
