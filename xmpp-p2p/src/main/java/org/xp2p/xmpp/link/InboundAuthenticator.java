package org.xp2p.xmpp.link;

import java.net.InetAddress;

/**
 * Decides who is on the other end of an inbound link: the stream header's {@code from} is
 * only a claim, accepted when the source address is one the claimed instance advertised.
 * Called on the link's reader thread; implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface InboundAuthenticator {

    /**
     * @param claimed the header's {@code from}, or null (Adium sends none)
     * @param source  the TCP source address
     * @return the peer's instance name
     * @throws StreamFault {@code invalid-from} when the claim does not match the source
     */
    String authenticate(String claimed, InetAddress source) throws StreamFault;
}
