package org.xp2p.discovery.dht;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets per source host: each may send {@code perSecond} datagrams on average and
 * bursts of {@code burst}. Remembers at most {@code maxHosts} hosts (least recently seen
 * forgotten first), so a spoofed-address flood cannot grow it without bound.
 * Not thread-safe: owned by its node's event loop.
 */
final class RateLimiter {

    private final double perNano;
    private final double burst;
    private final Map<String, double[]> buckets;

    RateLimiter(double perSecond, double burst, int maxHosts) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
                return size() > maxHosts;
            }
        };
    }

    /**
     * Forgets hosts whose bucket has refilled completely: they are indistinguishable from
     * hosts never seen, so only recently active senders take memory.
     */
    void prune(long nowNanos) {
        double refillNanos = burst / perNano;
        buckets.values().removeIf(b -> nowNanos - (long) b[1] >= refillNanos);
    }

    /** Takes one token for {@code host}; false when it has none left. */
    boolean tryAcquire(String host, long nowNanos) {
        double[] b = buckets.get(host);
        if (b == null) {
            b = new double[] {burst, nowNanos};
            buckets.put(host, b);
        } else {
            b[0] = Math.min(burst, b[0] + (nowNanos - (long) b[1]) * perNano);
            b[1] = nowNanos;
        }
        if (b[0] < 1) {
            return false;
        }
        b[0] -= 1;
        return true;
    }
}
