package org.xp2p.discovery.dht;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.xp2p.discovery.dht.net.DatagramTransport;
import org.xp2p.discovery.dht.net.UdpTransport;

/**
 * A real loopback UDP socket behind the filter of a port-restricted cone NAT: a datagram
 * gets in only from an ip:port this socket has sent to before; every other one is dropped
 * and counted. Lets a test run an unreachable node on loopback. Owns the wrapped socket and
 * its reader thread; {@link #close()} stops both.
 */
final class NatFilteringTransport implements DatagramTransport {

    private final UdpTransport socket;
    private final Set<InetSocketAddress> sentTo = ConcurrentHashMap.newKeySet();
    private final AtomicLong filtered = new AtomicLong();
    private volatile boolean filtering = true;

    NatFilteringTransport(InetSocketAddress bind) throws IOException {
        socket = UdpTransport.bind(bind);
    }

    /** Turns the filter on or off (as when a device moves between an open network and a NAT). */
    void filtering(boolean on) {
        filtering = on;
    }

    /** Unsolicited datagrams dropped so far. */
    long filtered() {
        return filtered.get();
    }

    @Override
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    @Override
    public void start(Receiver receiver) {
        socket.start((from, data, length) -> {
            if (!filtering || sentTo.contains(from)) {
                receiver.onDatagram(from, data, length);
            } else {
                filtered.incrementAndGet();
            }
        });
    }

    @Override
    public void send(InetSocketAddress to, byte[] datagram) {
        // The mapping opens before the datagram leaves, as a NAT's does.
        sentTo.add(to);
        socket.send(to, datagram);
    }

    @Override
    public void close() {
        socket.close();
    }
}
