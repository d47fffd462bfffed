package org.xp2p.upnp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scriptable NAT-PMP server on 127.0.0.1 for tests of client behaviour (retransmission, stray
 * packets, reboots) that a real gateway will not show on demand. Owns its socket and thread.
 */
final class LoopbackNatPmpServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Requests to ignore before answering (to make the client retransmit). */
    final AtomicInteger dropNext = new AtomicInteger();
    /** Mapping requests to refuse with result 2 (not authorized) before granting again. */
    final AtomicInteger refuseNext = new AtomicInteger();
    /** Stray packets to send before each real answer. */
    volatile boolean strayFirst;
    private volatile long epochStartMillis = System.currentTimeMillis() - 1000_000;
    private volatile int portOffset;

    LoopbackNatPmpServer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "loopback-nat-pmp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    /** Forgets everything, as a rebooted gateway: the epoch starts at 0, ports are assigned afresh (+1). */
    void reboot() {
        epochStartMillis = System.currentTimeMillis();
        portOffset++;
    }

    private void serve() {
        byte[] buf = new byte[64];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                ByteBuffer r = ByteBuffer.wrap(buf, 0, p.getLength());
                int opcode = buf[1];
                if (dropNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    requests.add("dropped " + opcode);
                    continue;
                }
                int epoch = (int) ((System.currentTimeMillis() - epochStartMillis) / 1000);
                byte[] reply;
                if (opcode == 0) {
                    requests.add("address");
                    reply = ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) 0).putInt(epoch)
                            .put(new byte[] {11, 22, 33, 44}).array();
                } else {
                    r.position(4);
                    int internal = Short.toUnsignedInt(r.getShort());
                    int suggested = Short.toUnsignedInt(r.getShort());
                    int lifetime = r.getInt();
                    requests.add("map " + opcode + " " + internal + " " + suggested + " " + lifetime);
                    int external = lifetime == 0 ? 0 : suggested + portOffset;
                    boolean refuse = lifetime != 0 && refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                    if (refuse) {
                        requests.add("refused");
                    }
                    reply = ByteBuffer.allocate(16).put((byte) 0).put((byte) (128 + opcode))
                            .putShort((short) (refuse ? 2 : 0))
                            .putInt(epoch).putShort((short) internal).putShort((short) external).putInt(lifetime)
                            .array();
                }
                if (strayFirst) {
                    byte[] stray = {0, (byte) 0x99, 0, 0};
                    socket.send(new DatagramPacket(stray, stray.length, p.getSocketAddress()));
                }
                socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5000);
    }
}
