package org.xp2p.e2e;

/**
 * The counters already accepted under one peer key: the highest one and a bitmap of the
 * {@code size} counters below it. A counter is accepted once if it is above the highest
 * or inside the window and not yet seen; counters that fell out of the window are
 * rejected as too old. A sender that uses one ever-increasing counter for everything
 * (the reference implementation) always lands above the highest. Thread-safe.
 */
final class ReplayWindow {
    enum Verdict { FRESH, REPLAYED, TOO_OLD }

    private final int size;
    private final long[] seen;
    private long highest = -1;

    ReplayWindow(int size) {
        this.size = size;
        this.seen = new long[(size + 63) / 64];
    }

    /** What {@link #accept} would say, without recording anything. */
    synchronized Verdict check(long counter) {
        if (counter > highest) {
            return Verdict.FRESH;
        }
        if (highest - counter >= size) {
            return Verdict.TOO_OLD;
        }
        return isSet(counter) ? Verdict.REPLAYED : Verdict.FRESH;
    }

    /** Records {@code counter} if it is fresh; call only after the stanza verified. */
    synchronized Verdict accept(long counter) {
        Verdict verdict = check(counter);
        if (verdict != Verdict.FRESH) {
            return verdict;
        }
        if (counter > highest) {
            long advance = highest < 0 ? size : counter - highest;
            if (advance >= size) {
                java.util.Arrays.fill(seen, 0L);
            } else {
                for (long c = highest + 1; c < counter; c++) {
                    clear(c);
                }
            }
            highest = counter;
        }
        set(counter);
        return Verdict.FRESH;
    }

    private int slot(long counter) {
        return (int) (counter % size);
    }

    private boolean isSet(long counter) {
        int s = slot(counter);
        return (seen[s >>> 6] & (1L << (s & 63))) != 0;
    }

    private void set(long counter) {
        int s = slot(counter);
        seen[s >>> 6] |= 1L << (s & 63);
    }

    private void clear(long counter) {
        int s = slot(counter);
        seen[s >>> 6] &= ~(1L << (s & 63));
    }
}
