package org.xp2p.discovery.dht.net;

/**
 * The single thread a DHT node's logic runs on, and its clock. Over real UDP this is one
 * scheduled executor thread and the system clock; in the simulator it is a shared
 * virtual-time event queue. Node code never blocks on it and never touches node state
 * from any other thread.
 */
public interface EventLoop {

    /** Wall-clock time in Unix milliseconds (virtual in a simulation): record validity and seq. */
    long currentTimeMillis();

    /** Monotonic nanoseconds (virtual in a simulation): RTTs and timeouts. */
    long nanoTime();

    /** Runs a task on the loop thread, after the tasks already queued. */
    void execute(Runnable task);

    /** Runs a task on the loop thread after a delay; the handle cancels it. */
    Timer schedule(Runnable task, long delayMillis);

    /** A scheduled task that can be called off. */
    interface Timer {
        void cancel();
    }
}
