package org.xp2p.discovery.dht.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real UDP socket bound to one explicit address. Owns the socket and one reader thread
 * ("dht-udp-reader-PORT") that blocks in {@code receive} and hands each datagram to the
 * receiver; {@link #close()} closes the socket, which ends the reader, and joins it.
 * {@link #send} may be called from any thread.
 */
public final class UdpTransport implements DatagramTransport {

    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);
    /** Larger than any valid datagram, so an oversize one arrives whole enough to be recognised and counted. */
    private static final int RECEIVE_BUFFER_OCTETS = 2048;

    private final DatagramSocket socket;
    private final InetSocketAddress local;
    private volatile Thread reader;

    private UdpTransport(DatagramSocket socket) {
        this.socket = socket;
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Binds a socket to {@code address} (port 0 picks a free port). */
    public static UdpTransport bind(InetSocketAddress address) throws IOException {
        if (address.getAddress() == null || address.isUnresolved()) {
            throw new IllegalArgumentException("bind to an explicit IP address, not " + address);
        }
        DatagramSocket s = new DatagramSocket(null);
        try {
            s.setReceiveBufferSize(1 << 20);
            s.bind(address);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot bind DHT UDP socket to " + address + ": " + e.getMessage(), e);
        }
        return new UdpTransport(s);
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public synchronized void start(Receiver receiver) {
        if (reader != null) {
            throw new IllegalStateException("transport on " + local + " already started");
        }
        Thread t = new Thread(() -> readLoop(receiver), "dht-udp-reader-" + local.getPort());
        t.setDaemon(true);
        reader = t;
        t.start();
    }

    private void readLoop(Receiver receiver) {
        byte[] buf = new byte[RECEIVE_BUFFER_OCTETS];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
                receiver.onDatagram((InetSocketAddress) p.getSocketAddress(), Arrays.copyOf(buf, p.getLength()),
                        p.getLength());
            } catch (SocketException e) {
                if (!socket.isClosed()) {
                    LOG.warn("DHT socket {} failed: {}", local, e.toString());
                }
                return;
            } catch (IOException | RuntimeException e) {
                // One bad datagram or a receiver bug must not end the node's only reader.
                LOG.warn("DHT socket {}: dropped a datagram: {}", local, e.toString());
            }
        }
    }

    @Override
    public void send(InetSocketAddress to, byte[] datagram) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, to));
        } catch (IOException e) {
            LOG.debug("DHT socket {}: send to {} failed: {}", local, to, e.toString());
        }
    }

    @Override
    public void close() {
        socket.close();
        Thread t = reader;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
