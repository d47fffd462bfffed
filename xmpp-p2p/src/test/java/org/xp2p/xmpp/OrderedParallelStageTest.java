package org.xp2p.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrderedParallelStageTest {
    private static final long WAIT_SECONDS = 10;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final ExecutorService deliverer = Executors.newSingleThreadExecutor();
    private final List<String> released = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        deliverer.shutdownNow();
        assertTrue(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(deliverer.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    private OrderedParallelStage stage(int maxInFlight, int parallelism) {
        return new OrderedParallelStage("test", pool, deliverer, maxInFlight, parallelism);
    }

    /** Waits until everything queued on the deliverer so far has run. */
    private void settle() throws Exception {
        deliverer.submit(() -> null).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Waits until {@code condition} holds or {@link #WAIT_SECONDS} pass; the caller asserts what it expects. */
    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private void waitForReleases(int n) throws Exception {
        waitUntil(() -> released.size() >= n);
        settle();
    }

    /** Submits items 0..count-1 to {@code lane}; each release records its result and counts down. */
    private static void produce(OrderedParallelStage.Lane lane, int count, List<Integer> into, CountDownLatch released) {
        for (int i = 0; i < count; i++) {
            int n = i;
            lane.submit(() -> work(n), (r, f) -> {
                into.add(r);
                released.countDown();
            });
        }
    }

    /** Submits work that finishes, giving {@code result}, only once {@code gate} opens; its release records the result. */
    private void submitHeld(OrderedParallelStage.Lane lane, CountDownLatch gate, String result) {
        lane.submit(() -> {
            await(gate);
            return result;
        }, (r, f) -> released.add(r));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntilBlocked(Thread t) throws InterruptedException {
        waitUntil(() -> t.getState() == Thread.State.WAITING);
        assertEquals(Thread.State.WAITING, t.getState(), "the producer should wait for room");
    }

    @Test
    void resultsFinishingInReverseOrderAreReleasedInSubmissionOrder() throws Exception {
        OrderedParallelStage stage = stage(16, 3);
        OrderedParallelStage.Lane lane = stage.newLane();
        CountDownLatch[] gates = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        CountDownLatch allDone = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            int n = i;
            lane.submit(() -> {
                await(gates[n]);
                allDone.countDown();
                return "r" + n;
            }, (r, failure) -> released.add(r));
        }
        gates[2].countDown();
        gates[1].countDown();
        // the later two are done but must wait for the first
        waitUntil(() -> allDone.getCount() <= 1);
        assertEquals(1, allDone.getCount());
        settle();
        assertEquals(List.of(), released);
        gates[0].countDown();
        waitForReleases(3);
        assertEquals(List.of("r0", "r1", "r2"), released);
        assertEquals(0, lane.inFlight());
        stage.close();
    }

    @Test
    void manyItemsOfRandomDurationKeepTheirOrderPerLaneAcrossTwoLanes() throws Exception {
        OrderedParallelStage stage = stage(32, 4);
        OrderedParallelStage.Lane a = stage.newLane();
        OrderedParallelStage.Lane b = stage.newLane();
        List<Integer> fromA = Collections.synchronizedList(new ArrayList<>());
        List<Integer> fromB = Collections.synchronizedList(new ArrayList<>());
        int items = 2_000;
        CountDownLatch all = new CountDownLatch(2 * items);
        Thread producerB = new Thread(() -> produce(b, items, fromB, all));
        producerB.start();
        produce(a, items, fromA, all);
        producerB.join();
        assertTrue(all.await(WAIT_SECONDS * 3, TimeUnit.SECONDS));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            expected.add(i);
        }
        assertEquals(expected, fromA);
        assertEquals(expected, fromB);
        stage.close();
    }

    private static int work(int n) {
        int spins = ThreadLocalRandom.current().nextInt(20_000);
        long x = n;
        for (int i = 0; i < spins; i++) {
            x = x * 31 + i;
        }
        if (x == 42) {
            Thread.yield(); // keeps the loop from being optimised away
        }
        return n;
    }

    @Test
    void aFailingItemIsReleasedWithItsFailureInItsPlaceAndTheOnesAfterItFollow() throws Exception {
        OrderedParallelStage stage = stage(16, 2);
        OrderedParallelStage.Lane lane = stage.newLane();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            int n = i;
            lane.submit(() -> {
                if (n == 1) {
                    throw new IllegalStateException("item 1 broke");
                }
                return "r" + n;
            }, (r, failure) -> {
                released.add(String.valueOf(r));
                failures.add(failure);
                done.countDown();
            });
        }
        assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of("r0", "null", "r2"), released);
        assertNull(failures.get(0));
        assertInstanceOf(IllegalStateException.class, failures.get(1));
        assertEquals("item 1 broke", failures.get(1).getMessage());
        assertNull(failures.get(2));
        stage.close();
    }

    @Test
    void aReleaseThatThrowsDoesNotStopTheLane() throws Exception {
        OrderedParallelStage stage = stage(4, 1);
        OrderedParallelStage.Lane lane = stage.newLane();
        lane.submit(() -> "a", (r, f) -> {
            throw new IllegalStateException("handler broke");
        });
        CountDownLatch second = new CountDownLatch(1);
        lane.submit(() -> "b", (r, f) -> {
            released.add(r);
            second.countDown();
        });
        assertTrue(second.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of("b"), released);
        settle();
        assertEquals(0, lane.inFlight());
        stage.close();
    }

    @Test
    void aFullLaneBlocksItsProducerUntilAReleaseMakesRoomWhileOtherLanesGoOn() throws Exception {
        OrderedParallelStage stage = stage(2, 2);
        OrderedParallelStage.Lane full = stage.newLane();
        CountDownLatch gate = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            int n = i;
            submitHeld(full, gate, "f" + n);
        }
        assertEquals(2, full.inFlight());
        CompletableFuture<Void> third = new CompletableFuture<>();
        Thread producer = new Thread(() -> {
            full.submit(() -> "f2", (r, f) -> released.add(r));
            third.complete(null);
        });
        producer.start();
        waitUntilBlocked(producer);
        assertFalse(third.isDone());
        assertEquals(2, full.inFlight());

        // another lane is not held up by the full one (items are queued behind the gated ones,
        // so its release comes once a runner is free: parallelism 2, both busy)
        OrderedParallelStage.Lane other = stage.newLane();
        other.submit(() -> "o0", (r, f) -> released.add(r));
        assertEquals(1, other.inFlight());

        gate.countDown();
        third.get(WAIT_SECONDS, TimeUnit.SECONDS);
        producer.join();
        waitForReleases(4);
        List<String> fromFull = released.stream().filter(s -> s.startsWith("f")).toList();
        assertEquals(List.of("f0", "f1", "f2"), fromFull);
        assertTrue(released.contains("o0"));
        stage.close();
    }

    @Test
    void atMostParallelismComputationsRunAtOnceAndThatManyDo() throws Exception {
        OrderedParallelStage stage = stage(64, 2);
        OrderedParallelStage.Lane lane = stage.newLane();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch done = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            lane.submit(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                bothRunning.countDown();
                await(bothRunning); // the first two meet: proof that two run at the same time
                Thread.sleep(2);
                running.decrementAndGet();
                return null;
            }, (r, f) -> done.countDown());
        }
        assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(2, most.get());
        stage.close();
    }

    @Test
    void aPlainTaskRunsOnTheDelivererInItsPlaceInTheOrder() throws Exception {
        OrderedParallelStage stage = stage(8, 2);
        OrderedParallelStage.Lane lane = stage.newLane();
        CountDownLatch gate = new CountDownLatch(1);
        submitHeld(lane, gate, "stanza");
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        lane.execute(() -> {
            released.add("presence");
            threads.add(Thread.currentThread().getName());
        });
        String delivererThread = deliverer.submit(() -> Thread.currentThread().getName()).get();
        settle();
        assertEquals(List.of(), released);
        gate.countDown();
        waitForReleases(2);
        assertEquals(List.of("stanza", "presence"), released);
        assertEquals(List.of(delivererThread), threads);
        stage.close();
    }

    @Test
    void tryExecuteQueuesInOrderWithoutEverWaitingAndRefusesWhenFullOrClosed() throws Exception {
        OrderedParallelStage stage = stage(2, 1);
        OrderedParallelStage.Lane lane = stage.newLane();
        CountDownLatch gate = new CountDownLatch(1);
        submitHeld(lane, gate, "stanza");
        assertTrue(lane.tryExecute(() -> released.add("flush")));
        assertFalse(lane.tryExecute(() -> released.add("no room")), "the lane holds its maximum of 2");
        assertEquals(2, lane.inFlight());
        gate.countDown();
        waitForReleases(2);
        assertEquals(List.of("stanza", "flush"), released);
        assertTrue(lane.tryExecute(() -> released.add("room again")));
        waitForReleases(3);
        assertEquals(List.of("stanza", "flush", "room again"), released);
        stage.close();
        assertFalse(lane.tryExecute(() -> released.add("after close")));
        settle();
        assertEquals(3, released.size());
    }

    @Test
    void closeRefusesWaitingAndLaterProducersAndNothingIsComputedOrReleasedAfterIt() throws Exception {
        OrderedParallelStage stage = stage(2, 1);
        OrderedParallelStage.Lane lane = stage.newLane();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger computedAfterClose = new AtomicInteger();
        lane.submit(() -> {
            started.countDown();
            await(gate);
            return "running at close";
        }, (r, f) -> released.add(r));
        lane.submit(() -> { // queued behind the first: parallelism 1
            computedAfterClose.incrementAndGet();
            return "queued at close";
        }, (r, f) -> released.add(r));
        assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));
        List<Throwable> producerFailure = Collections.synchronizedList(new ArrayList<>());
        Thread producer = new Thread(() -> {
            try {
                lane.submit(() -> "blocked at close", (r, f) -> released.add(r));
            } catch (RejectedExecutionException e) {
                producerFailure.add(e);
            }
        });
        producer.start();
        waitUntilBlocked(producer);

        stage.close();
        producer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(producer.isAlive());
        assertEquals(1, producerFailure.size());
        assertEquals("test is closed", producerFailure.get(0).getMessage());
        RejectedExecutionException later = assertThrows(RejectedExecutionException.class,
                () -> lane.submit(() -> "after", (r, f) -> released.add(r)));
        assertEquals("test is closed", later.getMessage());
        assertThrows(RejectedExecutionException.class, () -> lane.execute(() -> released.add("task after")));
        assertThrows(RejectedExecutionException.class, stage::newLane);

        gate.countDown(); // the computation that was running finishes now
        pool.shutdown();
        assertTrue(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        settle();
        assertEquals(List.of(), released);
        assertEquals(0, computedAfterClose.get());
    }

    @Test
    void aLaneRetiresOnlyWhenIdleAndThenRefusesEverySubmissionSoThatItsOwnerTakesANewOne() throws Exception {
        OrderedParallelStage stage = stage(16, 2);
        OrderedParallelStage.Lane lane = stage.newLane();
        CountDownLatch gate = new CountDownLatch(1);
        submitHeld(lane, gate, "held");
        assertEquals(1, stage.laneCount());
        assertFalse(lane.retireIfIdle(), "an item is in flight");
        gate.countDown();
        waitForReleases(1);
        waitUntil(() -> lane.inFlight() <= 0);
        assertTrue(lane.retireIfIdle());
        assertEquals(0, stage.laneCount(), "the stage forgets a retired lane");
        assertThrows(OrderedParallelStage.RetiredLaneException.class, () -> lane.submit(() -> "late", (r, f) -> released.add(r)));
        assertThrows(OrderedParallelStage.RetiredLaneException.class, () -> lane.execute(() -> released.add("task")));
        assertFalse(lane.tryExecute(() -> released.add("task")));
        OrderedParallelStage.Lane next = stage.newLane();
        next.submit(() -> "next", (r, f) -> released.add(r));
        waitForReleases(2);
        assertEquals(List.of("held", "next"), released);
        stage.close();
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        IllegalArgumentException cap = assertThrows(IllegalArgumentException.class, () -> stage(0, 1));
        assertEquals("maxInFlightPerLane must be at least 1, got 0", cap.getMessage());
        IllegalArgumentException parallel = assertThrows(IllegalArgumentException.class, () -> stage(1, 0));
        assertEquals("parallelism must be at least 1, got 0", parallel.getMessage());
        IllegalArgumentException group = assertThrows(IllegalArgumentException.class,
                () -> new OrderedParallelStage("test", pool, deliverer, 1, 1, 0, results -> {
                }));
        assertEquals("maxGroup must be at least 1, got 0", group.getMessage());
    }

    /** A result the group completion marks; its release checks the mark. */
    private static final class Marked {
        final int n;
        volatile boolean completed;

        Marked(int n) {
            this.n = n;
        }
    }

    @Test
    void waitingItemsAreComputedInGroupsThatAreCompletedBeforeAnyOfThemIsReleased() throws Exception {
        List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());
        OrderedParallelStage stage = new OrderedParallelStage("test", pool, deliverer, 64, 1, 8, results -> {
            groupSizes.add(results.size());
            results.forEach(r -> ((Marked) r).completed = true);
        });
        OrderedParallelStage.Lane lane = stage.newLane();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        lane.submit(() -> {
            started.countDown();
            await(gate); // the 20 behind it queue up meanwhile
            return new Marked(0);
        }, (r, f) -> order.add(r.n + (r.completed ? "" : " not completed")));
        await(started);
        for (int i = 1; i <= 20; i++) {
            int n = i;
            lane.submit(() -> new Marked(n), (r, f) -> order.add(r.n + (r.completed ? "" : " not completed")));
        }
        gate.countDown();
        waitUntil(() -> order.size() >= 21);
        settle();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            expected.add(String.valueOf(i));
        }
        assertEquals(expected, order);
        assertEquals(List.of(1, 8, 8, 4), groupSizes, "one runner takes at most 8 of those waiting at a time");
        stage.close();
    }

    @Test
    void whileOneRunnerWorksASecondStartsOnlyForAGroupWorthSharing() throws Exception {
        List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());
        OrderedParallelStage stage = new OrderedParallelStage("test", pool, deliverer, 64, 2, 8,
                results -> groupSizes.add(results.size()));
        OrderedParallelStage.Lane lane = stage.newLane();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        lane.submit(() -> {
            started.countDown();
            await(gate);
            return "r0";
        }, (r, f) -> released.add(r));
        await(started);
        AtomicInteger computed = new AtomicInteger();
        for (int i = 1; i <= 3; i++) {
            String r = "r" + i;
            lane.submit(() -> {
                computed.incrementAndGet();
                return r;
            }, (v, f) -> released.add(v));
        }
        Thread.sleep(200);
        assertEquals(0, computed.get(), "three waiting items are left to the busy runner, not to a runner of their own");
        CountDownLatch secondGate = new CountDownLatch(1);
        lane.submit(() -> {
            computed.incrementAndGet();
            await(secondGate);
            return "r4";
        }, (v, f) -> released.add(v));
        waitUntil(() -> computed.get() >= 4);
        assertEquals(4, computed.get(), "the fourth makes a group worth a second runner");
        for (int i = 5; i <= 6; i++) {
            String r = "r" + i;
            lane.submit(() -> {
                computed.incrementAndGet();
                return r;
            }, (v, f) -> released.add(v));
        }
        secondGate.countDown();
        Thread.sleep(200);
        assertEquals(4, computed.get(), "the second runner, done while the first still works, leaves it two items");
        gate.countDown();
        waitForReleases(7);
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6"), released);
        assertEquals(List.of(4, 1, 2), groupSizes);
        stage.close();
    }

    @Test
    void aCompletionThatThrowsFailsItsGroupOnlyAndFailedItemsNeverReachIt() throws Exception {
        List<Object> completed = Collections.synchronizedList(new ArrayList<>());
        IllegalStateException broken = new IllegalStateException("batch check broke");
        OrderedParallelStage stage = new OrderedParallelStage("test", pool, deliverer, 64, 1, 4, results -> {
            completed.addAll(results);
            if (results.contains("r2")) {
                throw broken;
            }
        });
        OrderedParallelStage.Lane lane = stage.newLane();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        lane.submit(() -> {
            started.countDown();
            await(gate);
            return "r0";
        }, (r, f) -> outcomes.add(r + "/" + f));
        await(started);
        for (int i = 1; i <= 8; i++) {
            int n = i;
            lane.submit(() -> {
                if (n == 3) {
                    throw new java.io.IOException("item 3 failed");
                }
                return "r" + n;
            }, (r, f) -> outcomes.add(r + "/" + (f == null ? null : f.getMessage())));
        }
        gate.countDown();
        waitUntil(() -> outcomes.size() >= 9);
        settle();
        // groups: [r0], [r1 r2 r3 r4] (r3 failed on its own; the completion throws), [r5 .. r8]
        assertEquals(List.of("r0/null", "null/batch check broke", "null/batch check broke", "null/item 3 failed",
                "null/batch check broke", "r5/null", "r6/null", "r7/null", "r8/null"), outcomes);
        assertFalse(completed.contains(null), "a failed item has no result to complete");
        assertEquals(List.of("r0", "r1", "r2", "r4", "r5", "r6", "r7", "r8"), completed);
        stage.close();
    }
}
