package org.xp2p.upnp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends SSDP M-SEARCH for Internet gateways from one given local address and interface, and returns
 * the first gateway that answers. This replaces weupnp's discovery, which sends on every interface
 * of the machine. The socket lives for one search, on the calling thread.
 */
final class SsdpSearch {
    static final InetSocketAddress SSDP_GROUP = new InetSocketAddress("239.255.255.250", 1900);
    /** UDA 1.1: multicast M-SEARCH goes out with TTL 2 by default. */
    static final int SSDP_TTL = 2;
    static final long RESEND_MILLIS = 500;

    private final InetAddress localAddress;
    private final NetworkInterface networkInterface;

    SsdpSearch(InetAddress localAddress, NetworkInterface networkInterface) {
        this.localAddress = localAddress;
        this.networkInterface = networkInterface;
    }

    static byte[] request(String searchTarget, int mxSeconds) {
        String text = "M-SEARCH * HTTP/1.1\r\n"
                + "HOST: 239.255.255.250:1900\r\n"
                + "MAN: \"ssdp:discover\"\r\n"
                + "MX: " + mxSeconds + "\r\n"
                + "ST: " + searchTarget + "\r\n"
                + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The first gateway answer within {@code timeout}, or empty. */
    Optional<SsdpResponse> findGateway(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int mx = (int) Math.max(1, Math.min(5, timeout.toSeconds()));
        try (MulticastSocket socket = new MulticastSocket(new InetSocketAddress(localAddress, 0))) {
            socket.setNetworkInterface(networkInterface);
            socket.setTimeToLive(SSDP_TTL);
            byte[] buffer = new byte[2048];
            long nextSend = 0;
            while (true) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    return Optional.empty();
                }
                if (now >= nextSend) {
                    // UDP may drop a datagram: repeat the search until someone answers or time is up.
                    for (String st : SsdpResponse.GATEWAY_SEARCH_TARGETS) {
                        byte[] m = request(st, mx);
                        socket.send(new DatagramPacket(m, m.length, SSDP_GROUP));
                    }
                    nextSend = now + RESEND_MILLIS * 1_000_000;
                }
                long wait = Math.min(deadline, nextSend) - System.nanoTime();
                socket.setSoTimeout((int) Math.max(1, wait / 1_000_000));
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                Optional<SsdpResponse> r = SsdpResponse.parse(p.getData(), p.getLength());
                // The description must live on the host that answered: we do not let a datagram send our
                // HTTP requests anywhere else.
                if (r.isPresent() && r.get().isGateway()
                        && IpLiteral.parse(r.get().location().getHost()).equals(Optional.of(p.getAddress()))) {
                    return r;
                }
            }
        }
    }
}
