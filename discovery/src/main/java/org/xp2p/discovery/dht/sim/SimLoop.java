package org.xp2p.discovery.dht.sim;

import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.discovery.dht.net.EventLoop;

/**
 * Virtual time for a whole simulated network: one queue of events ordered by due time
 * (ties in submission order), run by whichever thread calls {@link #runUntil}. Every
 * simulated node uses this same loop, so a simulation is single-threaded and repeatable
 * for a given seed. Not thread-safe: drive it from one thread.
 */
public final class SimLoop implements EventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(SimLoop.class);

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long nowMillis;
    private long sequence;
    private long eventsRun;

    private static final class Event implements Comparable<Event>, Timer {
        final long due;
        final long order;
        final Runnable task;
        boolean cancelled;

        Event(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        @Override
        public int compareTo(Event o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /** @param startMillis the virtual wall clock at the start, in Unix milliseconds */
    public SimLoop(long startMillis) {
        this.nowMillis = startMillis;
    }

    @Override
    public long currentTimeMillis() {
        return nowMillis;
    }

    @Override
    public long nanoTime() {
        return nowMillis * 1_000_000L;
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, 0);
    }

    @Override
    public Timer schedule(Runnable task, long delayMillis) {
        Event e = new Event(nowMillis + Math.max(0, delayMillis), sequence++, task);
        queue.add(e);
        return e;
    }

    /** Runs events until {@code done} holds or virtual time passes {@code deadlineMillis}; returns whether done. */
    public boolean runUntil(BooleanSupplier done, long deadlineMillis) {
        while (!done.getAsBoolean()) {
            Event e = queue.peek();
            if (e == null || e.due > deadlineMillis) {
                nowMillis = Math.max(nowMillis, Math.min(deadlineMillis, e == null ? deadlineMillis : e.due));
                return done.getAsBoolean();
            }
            queue.poll();
            nowMillis = e.due;
            if (!e.cancelled) {
                eventsRun++;
                try {
                    e.task.run();
                } catch (RuntimeException ex) {
                    LOG.error("simulated event failed", ex);
                }
            }
        }
        return true;
    }

    /** Runs until the future completes (or {@code maxMillis} of virtual time pass), then returns its value. */
    public <T> T await(CompletableFuture<T> future, long maxMillis) {
        if (!runUntil(future::isDone, nowMillis + maxMillis)) {
            throw new IllegalStateException("simulated operation not done after " + maxMillis + " virtual ms");
        }
        return future.join();
    }

    /** Advances virtual time by {@code millis}, running every event due meanwhile. */
    public void advance(long millis) {
        long until = nowMillis + millis;
        runUntil(() -> false, until);
        nowMillis = until;
    }

    public long eventsRun() {
        return eventsRun;
    }
}
