package org.xp2p.samples.demo;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The demo's live view: one line per thing that happens, stamped with the seconds since
 * the start, in columns so that who, to whom, which path and what line up. Thread-safe:
 * devices report from their own threads, and each line is written whole.
 */
final class Console {
    private final PrintWriter out;
    private final long startNanos = System.nanoTime();

    Console(PrintWriter out) {
        this.out = out;
    }

    /** A stanza that arrived: who sent it, who got it, the path, and what it said. */
    void delivery(String from, String to, String path, boolean e2e, String what) {
        line(String.format(Locale.ROOT, "%-9s -> %-9s %-10s %-4s %s", from, to, path, e2e ? "e2e" : "", what));
    }

    /** Something one party did or saw. */
    void note(String who, String what) {
        line(String.format(Locale.ROOT, "%-9s    %s", who, what));
    }

    /** A heading or table row, printed without a time stamp. */
    synchronized void plain(String text) {
        out.println(text);
        out.flush();
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private synchronized void line(String text) {
        out.printf(Locale.ROOT, "%6.1fs  %s%n", elapsedSeconds(), text);
        out.flush();
    }
}
