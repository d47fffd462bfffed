package org.xp2p.xmpp;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for a device's executors: daemon threads (an application that forgets
 * {@code close()} can still exit) named {@code prefix-1, prefix-2, …} so thread dumps and
 * the no-thread-outlives-close tests can tell whose they are.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    public static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
