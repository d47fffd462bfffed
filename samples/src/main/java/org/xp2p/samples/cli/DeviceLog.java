package org.xp2p.samples.cli;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The running device's narration: one timestamped line per event (peers, links, stanzas,
 * DHT, port mapping). Thread-safe: device threads, the DHT loop and the command's thread
 * all write to it.
 */
final class DeviceLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final PrintWriter out;
    private final boolean quiet;

    /** @param quiet when true, only {@link #always} lines are printed (commands that print a result) */
    DeviceLog(PrintWriter out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    void event(String line) {
        if (!quiet) {
            always(line);
        }
    }

    synchronized void always(String line) {
        out.println(LocalTime.now().format(TIME) + "  " + line);
        out.flush();
    }
}
