package org.xp2p.samples.common;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.mdns.PresenceListener;

/**
 * The instances one device currently sees on the LAN, for waiting until its contacts are
 * announced (a device accepts a stream only from an instance it has seen). Called on the
 * device's executor; thread-safe.
 */
final class SeenPeers implements PresenceListener {
    private final Set<String> present = new HashSet<>();

    @Override
    public synchronized void peerAdded(PeerInfo peer) {
        present.add(peer.jid().toLowerCase(Locale.ROOT));
        notifyAll();
    }

    @Override
    public synchronized void peerUpdated(PeerInfo peer) {
        peerAdded(peer);
    }

    @Override
    public synchronized void peerRemoved(String instance) {
        present.remove(instance.toLowerCase(Locale.ROOT));
        notifyAll();
    }

    /** Waits until every one of {@code instances} is present (or absent, with {@code present} false). */
    synchronized void await(Collection<String> instances, boolean wanted, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            boolean done = instances.stream().allMatch(i -> present.contains(i.toLowerCase(Locale.ROOT)) == wanted);
            if (done) {
                return;
            }
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
                throw new IllegalStateException("after " + bound.toSeconds() + " s, still waiting for "
                        + (wanted ? "the announcement of " : "the goodbye of ") + instances + "; seen: " + present);
            }
            wait(Math.max(1, leftNanos / 1_000_000));
        }
    }
}
