package org.xp2p.discovery.dht.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each probe from a fresh UDP socket bound to the node's IP and an ephemeral port, and
 * closes it at once: probes are rare (rate-limited by the node), so no socket is kept open.
 * Runs on the caller's thread; holds no resources between calls.
 */
public final class EphemeralPortProbeSender implements ProbeSender {

    private static final Logger LOG = LoggerFactory.getLogger(EphemeralPortProbeSender.class);

    private final InetAddress bindAddress;

    public EphemeralPortProbeSender(InetAddress bindAddress) {
        this.bindAddress = bindAddress;
    }

    @Override
    public void send(InetSocketAddress to, byte[] datagram) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(bindAddress, 0))) {
            s.send(new DatagramPacket(datagram, datagram.length, to));
        } catch (IOException e) {
            LOG.debug("dial-back probe to {} failed: {}", to, e.toString());
        }
    }
}
