package org.xp2p.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    @Test
    void aCounterIsAcceptedOnceAndOutOfOrderInsideTheWindow() {
        ReplayWindow w = new ReplayWindow(64);
        assertEquals(ReplayWindow.Verdict.FRESH, w.accept(10));
        assertEquals(ReplayWindow.Verdict.REPLAYED, w.accept(10));
        assertEquals(ReplayWindow.Verdict.FRESH, w.accept(12));
        assertEquals(ReplayWindow.Verdict.FRESH, w.accept(11), "late but inside the window");
        assertEquals(ReplayWindow.Verdict.REPLAYED, w.accept(11));
        assertEquals(ReplayWindow.Verdict.FRESH, w.accept(0));
    }

    @Test
    void countersBelowTheWindowAreTooOld() {
        ReplayWindow w = new ReplayWindow(64);
        w.accept(1000);
        assertEquals(ReplayWindow.Verdict.TOO_OLD, w.accept(1000 - 64));
        assertEquals(ReplayWindow.Verdict.FRESH, w.accept(1000 - 63));
    }

    @Test
    void theReferenceImplementationsGlobalCounterWithGapsIsAccepted() {
        // One counter shared by all its peers and keys: we see an increasing sequence with gaps.
        ReplayWindow w = new ReplayWindow(64);
        for (long c : new long[] {5, 9, 100, 101, 1_000, 70_000, 4_000_000_000L, 4_294_967_295L}) {
            assertEquals(ReplayWindow.Verdict.FRESH, w.accept(c), "counter " + c);
        }
    }

    @Test
    void slotsReusedAfterAJumpDoNotRememberOldCounters() {
        ReplayWindow w = new ReplayWindow(8);
        w.accept(3);
        w.accept(11); // slot of 3 is reused by 11; 3 itself is now too old
        assertEquals(ReplayWindow.Verdict.TOO_OLD, w.accept(3));
        assertEquals(ReplayWindow.Verdict.FRESH, w.accept(10));
        w.accept(13);
        assertEquals(ReplayWindow.Verdict.FRESH, w.accept(12), "12 was never seen although slot 12 % 8 held 4 before");
    }
}
