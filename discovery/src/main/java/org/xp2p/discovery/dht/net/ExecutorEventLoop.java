package org.xp2p.discovery.dht.net;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real event loop: one daemon thread ("dht-loop-NAME") of a scheduled executor and the
 * system clock. Its owner (the node) calls {@link #close()}, which stops the thread and
 * waits for it. Tasks submitted after close are dropped: the node is going away.
 */
public final class ExecutorEventLoop implements EventLoop, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorEventLoop.class);

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    public ExecutorEventLoop(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dht-loop-" + name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            // closed: nothing left to do it for
        }
    }

    @Override
    public Timer schedule(Runnable task, long delayMillis) {
        try {
            ScheduledFuture<?> f = executor.schedule(guarded(task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A bug in one handler must not kill the loop every other handler depends on.
                LOG.error("DHT event loop task failed", e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("DHT event loop did not stop within 5 s");
            }
            // The executor reports termination just before its worker thread has exited.
            Thread t = thread;
            if (t != null && t != Thread.currentThread()) {
                t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
