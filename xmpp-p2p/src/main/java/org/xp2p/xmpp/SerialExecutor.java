package org.xp2p.xmpp;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a pool someone else owns: one lane per
 * peer or per link, so that one peer's stanzas keep their order while peers do not wait for
 * each other, and a burst is drained by one thread instead of waking one per stanza.
 *
 * <p>Optionally bounded: {@link #execute} then blocks while {@code capacity} tasks wait, so
 * that a producer such as a link's reader slows down (TCP back-pressure on the peer) instead
 * of filling memory. A bounded executor's own tasks must never submit to it.
 * {@link #close()} refuses further tasks and wakes waiting producers. Thread-safe.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final int capacity;
    /** Guarded by itself, as are running and closed. */
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    private boolean closed;

    /** Unbounded: {@link #execute} never waits. */
    public SerialExecutor(Executor pool) {
        this(pool, Integer.MAX_VALUE);
    }

    /** {@link #execute} waits while {@code capacity} tasks are queued (the one running not counted). */
    public SerialExecutor(Executor pool, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.pool = pool;
        this.capacity = capacity;
    }

    /**
     * @throws RejectedExecutionException when closed (also while waiting for room), when the
     *                                    waiting thread is interrupted (its flag set again),
     *                                    or when the pool refuses to run the queue
     */
    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            while (tasks.size() >= capacity && !closed) {
                try {
                    tasks.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RejectedExecutionException("interrupted while waiting for room in a serial queue", e);
                }
            }
            if (closed) {
                throw new RejectedExecutionException("the serial queue is closed");
            }
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            pool.execute(this::drain);
        } catch (RuntimeException e) {
            // The pool refused (it is shutting down): nothing queued here will ever run.
            synchronized (tasks) {
                running = false;
                tasks.clear();
                tasks.notifyAll();
            }
            throw e;
        }
    }

    /** Tasks queued and not yet started. */
    public int backlog() {
        synchronized (tasks) {
            return tasks.size();
        }
    }

    /** Refuses further tasks and wakes producers waiting for room; the queued ones still run. */
    public void close() {
        synchronized (tasks) {
            closed = true;
            tasks.notifyAll();
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
                if (capacity != Integer.MAX_VALUE) {
                    tasks.notifyAll(); // room for a waiting producer
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.error("A serial task failed", e);
            }
        }
    }
}
