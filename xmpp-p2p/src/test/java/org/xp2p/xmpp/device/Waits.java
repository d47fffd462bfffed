package org.xp2p.xmpp.device;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling waits with generous bounds; a bound guards against hangs, it is no timing assertion. */
final class Waits {
    private Waits() {
    }

    static void until(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        until(what, seconds, condition, () -> "");
    }

    static void until(String what, long seconds, BooleanSupplier condition, Supplier<String> context)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what + "\n" + context.get());
            }
            Thread.sleep(25);
        }
    }
}
