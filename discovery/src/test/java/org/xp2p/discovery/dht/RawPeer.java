package org.xp2p.discovery.dht;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import org.xp2p.discovery.dht.wire.Datagram;
import org.xp2p.discovery.dht.wire.Message;
import org.xp2p.discovery.dht.wire.MessageCodec;

/**
 * A hand-driven peer on a loopback UDP socket that speaks the wire format directly, so a
 * test can send exactly the datagrams it wants (bad ones included) and read the replies.
 */
final class RawPeer implements AutoCloseable {

    final NodeIdentity identity;
    final DatagramSocket socket;
    final MessageCodec codec;
    private final SecureRandom random = new SecureRandom();

    RawPeer(int puzzleBits, byte[] networkKey) throws Exception {
        identity = NodeIdentity.generate(random, puzzleBits);
        socket = new DatagramSocket(new InetSocketAddress(LoopbackCluster.LOOPBACK, 0));
        socket.setSoTimeout(5000);
        codec = new MessageCodec(networkKey);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    long send(InetSocketAddress to, Message m) throws Exception {
        long txid = random.nextLong();
        sendRaw(to, codec.encode(new Datagram(txid, identity.publicKey(), identity.puzzleNonce(), false, m)));
        return txid;
    }

    void reply(InetSocketAddress to, long txid, Message m) throws Exception {
        sendRaw(to, codec.encode(new Datagram(txid, identity.publicKey(), identity.puzzleNonce(), false, m)));
    }

    void sendRaw(InetSocketAddress to, byte[] bytes) throws Exception {
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** The next datagram of the given type, skipping others (such as the node's own challenges). */
    <T extends Message> Datagram receive(Class<T> type) throws Exception {
        byte[] buf = new byte[2048];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no " + type.getSimpleName() + " within 5 s");
            }
            Datagram d = codec.decode(buf, p.getLength(), 0);
            if (type.isInstance(d.message())) {
                return d;
            }
        }
    }

    /** A valid ping whose pong proves the node still answers, and has handled all we sent before it. */
    Datagram roundTrip(InetSocketAddress to) throws Exception {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        send(to, new Message.Ping(nonce));
        return receive(Message.Pong.class);
    }

    @Override
    public void close() {
        socket.close();
    }
}
