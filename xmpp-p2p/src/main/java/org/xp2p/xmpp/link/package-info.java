/**
 * One XEP-0174 stream over TCP, used by link-local and direct links alike:
 * {@link org.xp2p.xmpp.link.StreamFramer} splits the socket's bytes into top-level elements
 * (byte-exact UTF-8, size limit, restricted XML), {@link org.xp2p.xmpp.link.StanzaDecoder}
 * turns them into Smack stanzas, {@link org.xp2p.xmpp.link.Link} runs the stream (header
 * exchange, features, STARTTLS, keep-alives, idle close, stream errors, closing handshake)
 * with one reader and one writer thread, {@link org.xp2p.xmpp.link.LinkServer} accepts
 * streams after an {@link org.xp2p.xmpp.link.InboundAuthenticator} checked the claimed name
 * against the source address, {@link org.xp2p.xmpp.link.LinkConnector} opens them from a
 * configured address.
 */
package org.xp2p.xmpp.link;
