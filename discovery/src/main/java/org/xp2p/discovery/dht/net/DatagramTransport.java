package org.xp2p.discovery.dht.net;

import java.net.InetSocketAddress;

/**
 * Sends and receives datagrams for one node: a real UDP socket ({@link UdpTransport}) or a
 * simulated one. The same node logic runs over either.
 */
public interface DatagramTransport extends AutoCloseable {

    /** Where others reach this node. */
    InetSocketAddress localAddress();

    /** Starts delivering datagrams to {@code receiver}, from the transport's own thread. */
    void start(Receiver receiver);

    /** Sends without blocking for long; a datagram that cannot be sent is lost, as UDP loses it. */
    void send(InetSocketAddress to, byte[] datagram);

    /** Stops receiving and releases the socket; idempotent. */
    @Override
    void close();

    /** Called once per received datagram; the array is the receiver's to keep. */
    interface Receiver {
        void onDatagram(InetSocketAddress from, byte[] data, int length);
    }
}
