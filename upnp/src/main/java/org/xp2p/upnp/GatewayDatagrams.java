package org.xp2p.upnp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One request/response exchange with a NAT-PMP or PCP server on UDP port 5351: sends from a socket
 * bound to the configured local address (never the default interface), retransmits with doubling
 * intervals, and returns the first reply the decoder accepts. The socket lives only for the
 * exchange and belongs to the calling thread.
 */
final class GatewayDatagrams {
    static final int SERVER_PORT = 5351;
    /** RFC 6886 starts at 250 ms and doubles; RFC 6887 starts at 3 s, longer than our usual timeout. */
    static final long FIRST_RETRANSMIT_MILLIS = 250;
    static final int MAX_REPLY_BYTES = 1100;

    /** Turns a reply into a value; throws MalformedReplyException for garbage, GatewayRefusedException for "no". */
    interface Decoder<T> {
        T decode(byte[] data, int length) throws GatewayException;
    }

    private final InetAddress localAddress;
    private final InetAddress gateway;
    private final int serverPort;

    GatewayDatagrams(InetAddress localAddress, InetAddress gateway, int serverPort) {
        this.localAddress = localAddress;
        this.gateway = gateway;
        this.serverPort = serverPort;
    }

    InetAddress gateway() {
        return gateway;
    }

    <T> T exchange(String what, byte[] request, Decoder<T> decoder, Duration timeout) throws GatewayException {
        long deadline = System.nanoTime() + timeout.toNanos();
        MalformedReplyException lastGarbage = null;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(localAddress, 0))) {
            // connect(): the kernel then drops datagrams from anyone but the gateway (RFC 6886 3.1 asks
            // us to) and reports an ICMP port-unreachable as an exception, so a gateway without the
            // service is recognised at once.
            socket.connect(gateway, serverPort);
            byte[] buffer = new byte[MAX_REPLY_BYTES];
            long interval = FIRST_RETRANSMIT_MILLIS;
            while (true) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    break;
                }
                socket.send(new DatagramPacket(request, request.length));
                long waitUntil = Math.min(deadline, now + interval * 1_000_000);
                interval *= 2;
                while (true) {
                    long left = (waitUntil - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) Math.max(1, left));
                    DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(reply);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    try {
                        return decoder.decode(reply.getData(), reply.getLength());
                    } catch (MalformedReplyException e) {
                        lastGarbage = e; // perhaps a stray or late packet: keep listening until the deadline
                    }
                }
            }
        } catch (PortUnreachableException e) {
            throw new NoGatewayException(what + ": " + gateway.getHostAddress() + ":" + serverPort
                    + " is unreachable (nothing listens there)", e);
        } catch (IOException e) {
            throw new NoGatewayException(what + ": cannot exchange datagrams with " + gateway.getHostAddress() + " from "
                    + localAddress.getHostAddress() + ": " + e.getMessage(), e);
        }
        if (lastGarbage != null) {
            throw lastGarbage;
        }
        throw new NoGatewayException(what + ": no answer from " + gateway.getHostAddress() + ":" + serverPort
                + " within " + timeout.toMillis() + " ms");
    }
}
