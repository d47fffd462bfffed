package org.xp2p.discovery.mdns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.xp2p.discovery.PeerInfo;

/** Records presence events and lets a test wait for one; thread-safe. */
final class RecordingListener implements PresenceListener {
    /** One event: kind is added, updated or removed; peer is null for removed. */
    record Event(String kind, String instance, PeerInfo peer) {
    }

    private final List<Event> events = new ArrayList<>();

    @Override
    public synchronized void peerAdded(PeerInfo peer) {
        events.add(new Event("added", peer.jid(), peer));
        notifyAll();
    }

    @Override
    public synchronized void peerUpdated(PeerInfo peer) {
        events.add(new Event("updated", peer.jid(), peer));
        notifyAll();
    }

    @Override
    public synchronized void peerRemoved(String instance) {
        events.add(new Event("removed", instance, null));
        notifyAll();
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Waits for an event matching {@code p}; the bound is a hang guard, not a timing assertion. */
    synchronized Event await(Predicate<Event> p, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            for (Event e : events) {
                if (p.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching presence event within " + bound + "; got " + events);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
