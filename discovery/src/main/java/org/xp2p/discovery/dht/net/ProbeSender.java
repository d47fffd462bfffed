package org.xp2p.discovery.dht.net;

import java.net.InetSocketAddress;

/**
 * Sends a dial-back probe from a port other than the node's own, so that its arrival proves
 * the receiver takes datagrams from endpoints it never sent to (a NAT's filter would pass a
 * datagram from the node's own port, which the receiver has just sent a request to).
 */
@FunctionalInterface
public interface ProbeSender {
    void send(InetSocketAddress to, byte[] datagram);
}
