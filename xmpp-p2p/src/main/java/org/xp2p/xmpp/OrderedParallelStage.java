package org.xp2p.xmpp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works on items in parallel and hands the results on in the order the items came: each
 * {@link Lane} (one per path: a peer's direct links, the broker stream) computes what is
 * submitted to it on a shared pool, as many at a time as the pool runs, and releases the
 * results strictly in submission order to a serial deliverer. The device uses it to
 * decrypt and verify received stanzas on every core while its inbound thread still sees
 * each path's stanzas in arrival order.
 *
 * <p>Bounded: a lane holds at most {@code maxInFlightPerLane} items from submission until
 * their release has returned. {@link Lane#submit} blocks the producing thread (a link's
 * reader, the broker's listener) while the lane is full, so a flood from one peer slows
 * that peer's socket (TCP back-pressure) instead of filling memory, and nothing is dropped.
 *
 * <p>Threads: computations run on the pool, releases on the deliverer, both owned by
 * whoever passes them in; a lane drains at most {@code maxInFlightPerLane} results per turn
 * on the deliverer, so one busy lane does not keep others waiting. The owner calls
 * {@link #close()}: it wakes blocked producers (their submissions are refused), and
 * afterwards nothing is computed or released any more (a computation already running
 * finishes, its result is discarded). Thread-safe.
 */
public final class OrderedParallelStage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrderedParallelStage.class);
    /**
     * With grouping, a second runner starts (and a runner that is not the last takes a group)
     * only once this many computations wait: smaller groups go to the runner already at work.
     */
    private static final int MIN_SHARED_GROUP = 4;

    private final String name;
    private final Executor pool;
    private final Executor deliverer;
    private final int maxInFlightPerLane;
    private final int parallelism;
    private final GroupCompletion completion;
    private final int maxGroup;
    private final int minSharedGroup;
    private final List<Lane> lanes = new CopyOnWriteArrayList<>();
    /** Computations not yet started, oldest first, from all lanes; guarded by itself. */
    private final ArrayDeque<Job<?>> pending = new ArrayDeque<>();
    /** Pool tasks draining {@link #pending}; at most {@link #parallelism}; guarded by pending. */
    private int runners;
    private volatile boolean closed;

    /**
     * @param pool        where computations run; the stage keeps at most {@code parallelism}
     *                    of its tasks there at a time (a cached pool would otherwise start a
     *                    thread per item of a burst), each draining the shared queue
     * @param deliverer   must run tasks one at a time in submission order (a single thread),
     *                    else releases of one lane could overtake each other
     * @param parallelism how many computations at most run at once (the cores worth using)
     */
    public OrderedParallelStage(String name, Executor pool, Executor deliverer, int maxInFlightPerLane,
            int parallelism) {
        this(name, pool, deliverer, maxInFlightPerLane, parallelism, 1, results -> {
        });
    }

    /**
     * As the other constructor, but a pool task takes up to {@code maxGroup} waiting
     * computations at once, runs them, and hands the results of those that succeeded to
     * {@code completion} before any is released: work that is cheaper done for many items
     * together (checking signatures) is done there. To keep groups from shrinking to single
     * items under load, further runners start only for a few waiting computations at least
     * (see {@link #MIN_SHARED_GROUP}).
     */
    public OrderedParallelStage(String name, Executor pool, Executor deliverer, int maxInFlightPerLane,
            int parallelism, int maxGroup, GroupCompletion completion) {
        if (maxGroup < 1) {
            throw new IllegalArgumentException("maxGroup must be at least 1, got " + maxGroup);
        }
        this.maxGroup = maxGroup;
        this.minSharedGroup = Math.min(MIN_SHARED_GROUP, maxGroup);
        this.completion = Objects.requireNonNull(completion, "completion");
        this.name = Objects.requireNonNull(name, "name");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.parallelism = parallelism;
        this.pool = Objects.requireNonNull(pool, "pool");
        this.deliverer = Objects.requireNonNull(deliverer, "deliverer");
        if (maxInFlightPerLane < 1) {
            throw new IllegalArgumentException("maxInFlightPerLane must be at least 1, got " + maxInFlightPerLane);
        }
        this.maxInFlightPerLane = maxInFlightPerLane;
    }

    /**
     * Finishes the results of computations that ran together, before any of them is
     * released; called on the pool thread that ran them. It may change the results' state
     * but not replace them; if it throws, every item of the group is released with that failure.
     */
    @FunctionalInterface
    public interface GroupCompletion {
        void complete(List<Object> results);
    }

    /** Queues a computation; starts another runner on the pool while fewer than parallelism run. */
    private void compute(Job<?> job) {
        synchronized (pending) {
            pending.add(job);
            // a small group waits for a runner already at work, which comes back for it
            if (runners >= parallelism || (runners > 0 && pending.size() < minSharedGroup)) {
                return;
            }
            runners++;
        }
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (pending) {
                runners--;
                pending.remove(job);
            }
            throw e;
        }
    }

    private void drain() {
        List<Job<?>> group = new ArrayList<>();
        List<Object> results = new ArrayList<>();
        while (true) {
            synchronized (pending) {
                // The last runner takes whatever waits; others leave a small group to it, as
                // computations done together (signatures checked in one batch) cost less each.
                if (pending.size() >= minSharedGroup || runners == 1) {
                    for (int i = 0; i < maxGroup && !closed && !pending.isEmpty(); i++) {
                        group.add(pending.poll());
                    }
                }
                if (group.isEmpty()) {
                    runners--;
                    return;
                }
            }
            for (Job<?> job : group) {
                job.run();
                if (job.failure == null && job.result != null) {
                    results.add(job.result);
                }
            }
            Throwable groupFailure = null;
            if (!results.isEmpty()) {
                try {
                    completion.complete(results);
                } catch (RuntimeException | Error e) {
                    groupFailure = e;
                }
            }
            for (Job<?> job : group) {
                job.finish(groupFailure); // never throws: a lane's release records its own failure
            }
            group.clear();
            results.clear();
        }
    }

    /** Lanes not retired, for tests and statistics. */
    public int laneCount() {
        return lanes.size();
    }

    /** Refuses a submission to a retired lane: its owner takes a new lane and submits again. */
    public static final class RetiredLaneException extends RejectedExecutionException {
        private static final long serialVersionUID = 1L;

        RetiredLaneException(String stage) {
            super(stage + ": the lane is retired; submit to a new one");
        }
    }

    /** A new ordered lane; refused once the stage is closed. */
    public Lane newLane() {
        if (closed) {
            throw new RejectedExecutionException(name + " is closed");
        }
        Lane lane = new Lane();
        lanes.add(lane);
        if (closed) { // raced with close(): make sure no producer waits on this lane
            lane.wakeAll();
        }
        return lane;
    }

    public int maxInFlightPerLane() {
        return maxInFlightPerLane;
    }

    /** Stops computing and releasing; producers blocked in {@link Lane#submit} are refused. Idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (pending) {
            pending.clear();
        }
        for (Lane lane : lanes) {
            lane.wakeAll();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * One ordered sequence of items. Also an {@link Executor}: a plain task submitted with
     * {@link #execute} computes nothing and runs on the deliverer in its place in the order,
     * for events that must stay in line with the items around them (presences between
     * messages).
     */
    public final class Lane implements Executor {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition room = lock.newCondition();
        /** Submitted items not yet released, oldest first; guarded by lock. */
        private final ArrayDeque<Slot<?>> order = new ArrayDeque<>();
        /** Items submitted whose release has not returned yet; guarded by lock. */
        private int inFlight;
        /** A release turn is queued or running on the deliverer; guarded by lock. */
        private boolean releasing;
        /** Retired by {@link #retireIfIdle}: takes nothing more; guarded by lock. */
        private boolean retired;

        private Lane() {
        }

        /**
         * Computes {@code work} on the pool and then calls {@code release} on the deliverer
         * with its result or its failure (exactly one of them non-null, unless the work
         * returned null), after the releases of everything submitted to this lane before.
         * A failure is the release's to report; it does not hold up the items behind it.
         * Blocks while the lane holds its maximum of items.
         *
         * @throws RejectedExecutionException when the stage is closed (also while waiting),
         *                                    or the waiting thread was interrupted (its
         *                                    interrupt flag is set again)
         */
        public <T> void submit(Callable<? extends T> work, BiConsumer<? super T, ? super Throwable> release) {
            Objects.requireNonNull(work, "work");
            Objects.requireNonNull(release, "release");
            Slot<T> slot = new Slot<>(work, release);
            enqueue(slot);
            try {
                compute(new Job<>(this, slot));
            } catch (RejectedExecutionException e) {
                finished(slot, null, e); // the pool is shutting down: released as a failure, in order
            }
        }

        /** Runs {@code task} on the deliverer after everything submitted before it; blocks while the lane is full. */
        @Override
        public void execute(Runnable task) {
            Objects.requireNonNull(task, "task");
            Slot<Void> slot = new Slot<Void>(null, (v, failure) -> task.run());
            enqueue(slot);
            finished(slot, null, null);
        }

        /**
         * As {@link #execute}, but never waits: false (and nothing queued) while the lane is
         * full or the stage is closed. For the deliverer's own thread, which must not wait for
         * room only it can make.
         */
        public boolean tryExecute(Runnable task) {
            Objects.requireNonNull(task, "task");
            Slot<Void> slot = new Slot<Void>(null, (v, failure) -> task.run());
            lock.lock();
            try {
                if (closed || retired || inFlight >= maxInFlightPerLane) {
                    return false;
                }
                inFlight++;
                order.add(slot);
            } finally {
                lock.unlock();
            }
            finished(slot, null, null);
            return true;
        }

        /**
         * Retires the lane if nothing submitted to it waits for its release: the stage forgets
         * it, and every later submission is refused with {@link RetiredLaneException}. A lane
         * for a peer that is gone, so that lanes do not pile up; as it was idle, a new lane
         * for the same source keeps the order. False, and nothing changes, while items are in
         * flight.
         */
        public boolean retireIfIdle() {
            lock.lock();
            try {
                if (inFlight > 0) {
                    return false;
                }
                retired = true;
            } finally {
                lock.unlock();
            }
            lanes.remove(this);
            return true;
        }

        /** Items submitted whose release has not returned yet. */
        public int inFlight() {
            lock.lock();
            try {
                return inFlight;
            } finally {
                lock.unlock();
            }
        }

        private void enqueue(Slot<?> slot) {
            lock.lock();
            try {
                while (inFlight >= maxInFlightPerLane && !closed) {
                    try {
                        room.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RejectedExecutionException(name + ": interrupted while waiting for room", e);
                    }
                }
                if (closed) {
                    throw new RejectedExecutionException(name + " is closed");
                }
                if (retired) {
                    throw new RetiredLaneException(name);
                }
                inFlight++;
                order.add(slot);
            } finally {
                lock.unlock();
            }
        }

        private <T> void finished(Slot<T> slot, T result, Throwable failure) {
            boolean schedule;
            lock.lock();
            try {
                slot.result = result;
                slot.failure = failure;
                slot.done = true;
                schedule = !releasing && !closed && order.peek() != null && order.peek().done;
                if (schedule) {
                    releasing = true;
                }
            } finally {
                lock.unlock();
            }
            if (schedule) {
                scheduleRelease();
            }
        }

        private void scheduleRelease() {
            try {
                deliverer.execute(this::releaseTurn);
            } catch (RejectedExecutionException e) {
                lock.lock();
                try {
                    releasing = false; // the deliverer is shutting down: nothing more can be released
                } finally {
                    lock.unlock();
                }
                if (!closed) {
                    LOG.warn("{}: the deliverer refused a release turn while the stage is open", name);
                }
            }
        }

        /** On the deliverer: releases the finished items at the head, at most a lane's capacity per turn. */
        private void releaseTurn() {
            for (int n = 0; n < maxInFlightPerLane; n++) {
                Slot<?> head;
                lock.lock();
                try {
                    head = order.peek();
                    if (closed || head == null || !head.done) {
                        releasing = false;
                        return;
                    }
                    order.poll();
                } finally {
                    lock.unlock();
                }
                try {
                    head.release();
                } catch (RuntimeException e) {
                    LOG.error("{}: a release failed", name, e);
                } finally {
                    lock.lock();
                    try {
                        inFlight--;
                        room.signal();
                    } finally {
                        lock.unlock();
                    }
                }
            }
            scheduleRelease(); // more may be ready: let other lanes' turns go first
        }

        private void wakeAll() {
            lock.lock();
            try {
                room.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** One computation on the pool: runs the work, then (after its group's completion) finishes the slot. */
    private final class Job<T> {
        final Lane lane;
        final Slot<T> slot;
        T result; // runner thread only, until finish
        Throwable failure;

        Job(Lane lane, Slot<T> slot) {
            this.lane = lane;
            this.slot = slot;
        }

        void run() {
            if (closed) {
                return;
            }
            try {
                result = slot.work.call();
            } catch (Throwable t) { // any failure is the item's, reported at its release
                failure = t;
            }
        }

        void finish(Throwable groupFailure) {
            if (closed) {
                return; // nothing is released any more
            }
            lane.finished(slot, groupFailure == null ? result : null, failure != null ? failure : groupFailure);
        }
    }

    /** One submitted item; result, failure and done are guarded by its lane's lock. */
    private static final class Slot<T> {
        final Callable<? extends T> work;
        final BiConsumer<? super T, ? super Throwable> release;
        T result;
        Throwable failure;
        boolean done;

        Slot(Callable<? extends T> work, BiConsumer<? super T, ? super Throwable> release) {
            this.work = work;
            this.release = release;
        }

        void release() {
            release.accept(result, failure);
        }
    }
}
