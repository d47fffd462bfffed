package org.xp2p.bench.broker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of every thread of this process as Linux counts it ({@code /proc/self/task}),
 * native ones included: unlike the JVM's thread bean, this also sees the garbage
 * collector, the JIT compilers and the VM thread, which is where a per-message cost hides
 * when the Java threads do not add up to the process total.
 */
final class TaskCpu {
    private static final Path TASKS = Path.of("/proc/self/task");

    /** One thread: its kernel name (at most 15 characters) and nanoseconds on a CPU so far. */
    record Task(String name, long cpuNanos) {
    }

    private TaskCpu() {
    }

    /** Every live thread by thread id; empty where there is no {@code /proc} (not Linux). */
    static Map<String, Task> snapshot() {
        Map<String, Task> out = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return out;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    // schedstat: time on a CPU (ns), time waiting for one, timeslices
                    String schedstat = Files.readString(task.resolve("schedstat"));
                    out.put(task.getFileName().toString(),
                            new Task(name, Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')))));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we looked; its time is in the process total
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + TASKS, e);
        }
        return out;
    }

    /**
     * The CPU each thread spent between two snapshots, in microseconds per {@code n}, summed by
     * name with numbers folded to {@code #} (so pools read as one line).
     */
    static Map<String, Double> perItemByName(Map<String, Task> before, Map<String, Task> after, int n) {
        Map<String, Double> out = new HashMap<>();
        after.forEach((tid, task) -> {
            Task earlier = before.get(tid);
            long spent = task.cpuNanos() - (earlier == null ? 0 : earlier.cpuNanos());
            out.merge(task.name().replaceAll("[0-9]+", "#"), spent / 1e3 / n, Double::sum);
        });
        return out;
    }
}
