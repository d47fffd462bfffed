package org.xp2p.discovery.dht;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adaptive RPC timeouts: a smoothed RTT per peer and one for all peers (Jacobson/Karels,
 * as TCP does), and a timeout of about twice the RTT (at least srtt + 4 rttvar) between a
 * floor and a ceiling. Peers never measured get the all-peers estimate.
 * Not thread-safe: owned by its node's event loop.
 */
final class RttEstimator {

    private final long minTimeoutNanos;
    private final long maxTimeoutNanos;
    private final Map<InetSocketAddress, double[]> perPeer;
    private final double[] global;

    RttEstimator(long minTimeoutMillis, long maxTimeoutMillis, long initialRttMillis, int maxPeers) {
        this.minTimeoutNanos = minTimeoutMillis * 1_000_000L;
        this.maxTimeoutNanos = maxTimeoutMillis * 1_000_000L;
        this.global = new double[] {initialRttMillis * 1e6, initialRttMillis * 0.5e6};
        this.perPeer = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, double[]> eldest) {
                return size() > maxPeers;
            }
        };
    }

    void sample(InetSocketAddress peer, long rttNanos) {
        update(global, rttNanos);
        double[] p = perPeer.get(peer);
        if (p == null) {
            perPeer.put(peer, new double[] {rttNanos, rttNanos / 2.0});
        } else {
            update(p, rttNanos);
        }
    }

    private static void update(double[] s, long rtt) {
        double err = rtt - s[0];
        s[0] += err / 8;
        s[1] += (Math.abs(err) - s[1]) / 4;
    }

    long timeoutNanos(InetSocketAddress peer) {
        double[] s = perPeer.getOrDefault(peer, global);
        double t = Math.max(2 * s[0], s[0] + 4 * s[1]);
        return Math.max(minTimeoutNanos, Math.min(maxTimeoutNanos, (long) t));
    }

    /** The all-peers smoothed RTT, in milliseconds. */
    double smoothedRttMillis() {
        return global[0] / 1e6;
    }
}
