package org.xp2p.discovery.dht.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.xp2p.discovery.dht.net.DatagramTransport;

/**
 * An in-process network for simulated nodes: datagrams are delivered through a
 * {@link SimLoop} after a latency fixed per pair of hosts (plus jitter), and lost with a set probability or
 * when the destination is down. Addresses are invented (10.a.b.c, one /24 per
 * node, so per-subnet limits see independent hosts) and never touch a socket. Single-threaded, driven
 * by the loop.
 */
public final class SimNetwork {

    private final SimLoop loop;
    private final Random random;
    private final Map<InetSocketAddress, SimTransport> endpoints = new HashMap<>();
    private int minLatencyMillis;
    private int maxLatencyMillis;
    private double lossRate;
    private int nextHost = 1;
    private long delivered;
    private long lost;
    private long maxDatagram;
    private long filtered;

    public SimNetwork(SimLoop loop, long seed, int minLatencyMillis, int maxLatencyMillis, double lossRate) {
        this.loop = loop;
        this.random = new Random(seed);
        latency(minLatencyMillis, maxLatencyMillis);
        this.lossRate = lossRate;
    }

    public SimLoop loop() {
        return loop;
    }

    public Random random() {
        return random;
    }

    /** One-way latency range; each pair of hosts gets a fixed point in it (see {@link #latencyMillis}). */
    public void latency(int minMillis, int maxMillis) {
        if (minMillis < 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("latency range " + minMillis + ".." + maxMillis + " ms is empty");
        }
        this.minLatencyMillis = minMillis;
        this.maxLatencyMillis = maxMillis;
    }

    public void lossRate(double rate) {
        this.lossRate = rate;
    }

    /** A new endpoint at a fresh address. */
    public SimTransport attach() {
        return attach(false);
    }

    /**
     * A new endpoint behind the filter of a port-restricted cone NAT: a datagram reaches it
     * only from an address it has sent to before; others are dropped and counted as filtered.
     */
    public SimTransport attachBehindNat() {
        return attach(true);
    }

    private SimTransport attach(boolean behindNat) {
        int h = nextHost++;
        if (h > 0xffff) {
            throw new IllegalStateException("the simulator hands out at most 65535 addresses");
        }
        InetSocketAddress a;
        try {
            // Each host in a /24 of its own (10.a.b.c), so per-subnet limits see independent hosts;
            // the last octet varies too, so hash maps keyed by address spread as with real ones.
            a = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) (h >>> 8), (byte) h,
                    (byte) (1 + (h * 37) % 254)}), 4000);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        SimTransport t = new SimTransport(this, a, behindNat);
        endpoints.put(a, t);
        return t;
    }

    void send(InetSocketAddress from, InetSocketAddress to, byte[] datagram) {
        maxDatagram = Math.max(maxDatagram, datagram.length);
        if (lossRate > 0 && random.nextDouble() < lossRate) {
            lost++;
            return;
        }
        int latency = latencyMillis(from, to);
        byte[] copy = datagram.clone();
        loop.schedule(() -> {
            SimTransport dest = endpoints.get(to);
            if (dest != null && !dest.admits(from)) {
                filtered++;
            } else if (dest == null || !dest.deliver(from, copy)) {
                lost++;
            } else {
                delivered++;
            }
        }, latency);
    }

    /**
     * A stable one-way latency per pair of hosts (as between two places on the Internet),
     * uniform over the range across pairs, plus up to 10 % jitter per datagram.
     */
    private int latencyMillis(InetSocketAddress a, InetSocketAddress b) {
        int span = maxLatencyMillis - minLatencyMillis;
        if (span == 0) {
            return minLatencyMillis;
        }
        int ha = a.hashCode();
        int hb = b.hashCode();
        long mix = (long) Math.min(ha, hb) * 0x9E3779B97F4A7C15L ^ (long) Math.max(ha, hb) * 0xC2B2AE3D27D4EB4FL;
        mix ^= mix >>> 29;
        mix *= 0xBF58476D1CE4E5B9L;
        mix ^= mix >>> 32;
        int base = minLatencyMillis + (int) Math.floorMod(mix, (long) span + 1);
        return base + random.nextInt(Math.max(1, base / 10 + 1));
    }

    void detach(InetSocketAddress address) {
        endpoints.remove(address);
    }

    public long delivered() {
        return delivered;
    }

    public long lost() {
        return lost;
    }

    /** Datagrams dropped by the NAT filters of endpoints attached behind one. */
    public long filtered() {
        return filtered;
    }

    /** Largest datagram any node sent, in octets. */
    public long maxDatagramOctets() {
        return maxDatagram;
    }

    /** A simulated socket: what a node sees of the network. */
    public static final class SimTransport implements DatagramTransport {
        private final SimNetwork net;
        private final InetSocketAddress address;
        private final java.util.Set<InetSocketAddress> sentTo;
        private Receiver receiver;
        private boolean closed;

        SimTransport(SimNetwork net, InetSocketAddress address, boolean behindNat) {
            this.net = net;
            this.address = address;
            this.sentTo = behindNat ? new java.util.HashSet<>() : null;
        }

        boolean admits(InetSocketAddress from) {
            return sentTo == null || sentTo.contains(from);
        }

        @Override
        public InetSocketAddress localAddress() {
            return address;
        }

        @Override
        public void start(Receiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public void send(InetSocketAddress to, byte[] datagram) {
            if (!closed) {
                if (sentTo != null) {
                    sentTo.add(to);
                }
                net.send(address, to, datagram);
            }
        }

        boolean deliver(InetSocketAddress from, byte[] data) {
            if (closed || receiver == null) {
                return false;
            }
            receiver.onDatagram(from, data, data.length);
            return true;
        }

        @Override
        public void close() {
            closed = true;
            net.detach(address);
        }
    }
}
