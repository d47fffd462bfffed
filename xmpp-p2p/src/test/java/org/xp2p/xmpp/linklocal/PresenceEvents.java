package org.xp2p.xmpp.linklocal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.mdns.PresenceListener;

/** Records presence events for tests to wait on; thread-safe. */
final class PresenceEvents implements PresenceListener {
    private record Event(String kind, String instance, PeerInfo peer) {
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

    synchronized void await(String instance, String kind, Duration bound) throws InterruptedException {
        waitFor(e -> e.instance().equals(instance) && e.kind().equals(kind), bound);
    }

    synchronized PeerInfo awaitMatching(String instance, Predicate<PeerInfo> p, Duration bound)
            throws InterruptedException {
        return waitFor(e -> e.instance().equals(instance) && e.peer() != null && p.test(e.peer()), bound).peer();
    }

    private Event waitFor(Predicate<Event> p, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            for (Event e : events) {
                if (p.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no such presence event within " + bound + ": " + events);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
