package org.xp2p.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
    private static final long WAIT_SECONDS = 10;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aBoundedQueueMakesTheProducerWaitForRoomAndKeepsTheOrder() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool, 2);
        CountDownLatch gate = new CountDownLatch(1);
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        serial.execute(() -> await(gate)); // running, not counted
        serial.execute(() -> ran.add(1));
        serial.execute(() -> ran.add(2));
        assertEquals(2, serial.backlog());
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> serial.execute(() -> ran.add(3)));
        Thread.sleep(200);
        assertTrue(!third.isDone(), "the producer waits while two tasks are queued");
        gate.countDown();
        third.get(WAIT_SECONDS, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (ran.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(List.of(1, 2, 3), ran);
    }

    @Test
    void closeWakesAWaitingProducerWithARefusalAndRefusesLaterTasks() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool, 1);
        CountDownLatch gate = new CountDownLatch(1);
        serial.execute(() -> await(gate));
        serial.execute(() -> { });
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> serial.execute(() -> { }));
        Thread.sleep(200);
        serial.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RejectedExecutionException, e.toString());
        assertThrows(RejectedExecutionException.class, () -> serial.execute(() -> { }));
        gate.countDown();
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SerialExecutor(pool, 0));
        assertEquals("capacity must be at least 1, got 0", e.getMessage());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
