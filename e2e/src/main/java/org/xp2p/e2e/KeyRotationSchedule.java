package org.xp2p.e2e;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates a {@link LocalKeyRing} at a fixed period on an executor the caller owns (the
 * device's one scheduled executor). {@link #close()} cancels the timer; it does not shut
 * the executor down, which stays its owner's to stop.
 */
public final class KeyRotationSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotationSchedule.class);

    private final ScheduledFuture<?> task;

    private KeyRotationSchedule(ScheduledFuture<?> task) {
        this.task = task;
    }

    /** Rotates {@code ring} every {@code period}, first after one period. */
    public static KeyRotationSchedule start(LocalKeyRing ring, ScheduledExecutorService executor, Duration period) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("rotation period must be positive, not " + period);
        }
        long millis = period.toMillis();
        ScheduledFuture<?> task = executor.scheduleAtFixedRate(() -> {
            try {
                ring.rotate();
            } catch (RuntimeException e) {
                // An exception would silently end a fixed-rate task: log and keep the schedule.
                LOG.error("Timed E2E key rotation failed; keeping the current keys", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
        return new KeyRotationSchedule(task);
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
