package org.xp2p.upnp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EpochTrackerTest {
    @Test
    void anEpochKeepingPaceWithOurClockMeansNoRestart() {
        EpochTracker t = new EpochTracker();
        assertFalse(t.lostState(1000, 0));
        assertFalse(t.lostState(1060, 60_000));
        assertFalse(t.lostState(1061, 60_500), "a second of jitter is tolerated");
    }

    @Test
    void anEpochGoingBackwardsMeansTheServerRestarted() {
        EpochTracker t = new EpochTracker();
        t.lostState(500, 0);
        assertTrue(t.lostState(3, 10_000));
    }

    @Test
    void anEpochFallingBehindOurClockMeansTheServerRestartedInBetween() {
        // 100 s passed here but only 40 s there: the server restarted and has been up 40 s.
        EpochTracker t = new EpochTracker();
        t.lostState(10, 0);
        assertTrue(t.lostState(50, 100_000));
    }

    @Test
    void anEpochRacingAheadIsAlsoSuspect() {
        EpochTracker t = new EpochTracker();
        t.lostState(10, 0);
        assertTrue(t.lostState(1000, 10_000));
    }

    @Test
    void afterResetTheNextEpochIsAFreshStart() {
        EpochTracker t = new EpochTracker();
        t.lostState(500, 0);
        t.reset();
        assertFalse(t.lostState(3, 10_000));
    }
}
