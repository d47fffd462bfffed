package org.xp2p.upnp;

/**
 * Decides from successive epoch values whether a NAT-PMP or PCP server lost its state (rebooted,
 * restarted) since we last heard from it: the rule of RFC 6886 section 3.6 and RFC 6887 section 8.5.
 * The server's epoch counts seconds; if it runs backwards, or advances at a pace clearly different
 * from our own clock, the server has started afresh and our mappings are gone.
 * Not thread-safe: each client confines it to the thread doing its exchanges.
 */
final class EpochTracker {
    private boolean seen;
    private long previousServerSeconds;
    private long previousClientMillis;

    /**
     * Records an epoch received at {@code clientMillis} (a monotonic clock in milliseconds) and
     * returns true when the server lost state since the previous observation.
     */
    boolean lostState(long serverSeconds, long clientMillis) {
        boolean lost = false;
        if (seen) {
            long clientDelta = (clientMillis - previousClientMillis) / 1000;
            long serverDelta = serverSeconds - previousServerSeconds;
            lost = serverSeconds + 1 < previousServerSeconds
                    || clientDelta + 2 < serverDelta - serverDelta / 16
                    || serverDelta + 2 < clientDelta - clientDelta / 16;
        }
        seen = true;
        previousServerSeconds = serverSeconds;
        previousClientMillis = clientMillis;
        return lost;
    }

    void reset() {
        seen = false;
    }
}
