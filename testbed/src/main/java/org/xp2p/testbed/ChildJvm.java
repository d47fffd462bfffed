package org.xp2p.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Java main class run in a child JVM, inside a network namespace when one is given
 * ({@code ip netns exec NS java -cp <this JVM's class path> Main args}): one JVM lives in
 * one namespace, so a test that needs devices on two hosts runs them as children. The
 * test talks to the child through lines on its stdin and stdout; everything the child
 * prints is also kept in a log file. {@link #close()} kills it.
 */
public final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new ArrayList<>();
    private final Path log;
    private volatile boolean outputEnded;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLoop, "child-jvm-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param ns        the namespace to run in, or null for this JVM's own
     * @param jvmArgs   e.g. {@code -Dnet.dns.ttl=10}
     * @param logFile   where the child's output is copied
     */
    public static ChildJvm start(String name, NetNs ns, String mainClass, List<String> jvmArgs, List<String> args,
            Path logFile) {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(jvmArgs);
        java.add("-cp");
        java.add(System.getProperty("java.class.path"));
        java.add(mainClass);
        java.addAll(args);
        List<String> command = ns == null ? java : ns.inside(java.toArray(String[]::new));
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, String.join(" ", command.subList(0, Math.min(command.size(), 6))) + " ...\n");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new ChildJvm(name, p, logFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start child JVM " + name + ": " + e.getMessage(), e);
        }
    }

    private void readLoop() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
                try {
                    Files.writeString(log, line + "\n", StandardOpenOption.APPEND);
                } catch (IOException e) {
                    // the log is a convenience
                }
            }
        } catch (IOException e) {
            // process gone
        } finally {
            synchronized (lines) {
                outputEnded = true;
                lines.notifyAll();
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Sends one command line to the child's stdin. */
    public void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException(name + " no longer reads its stdin: " + e.getMessage() + "\n" + output(), e);
        }
    }

    /** Everything the child printed so far. */
    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /**
     * Waits for an output line matching {@code p} (counting lines printed before the call)
     * and returns it. The bound only guards against a hang; it is no timing assertion.
     */
    public String await(Predicate<String> p, Duration bound) {
        return awaitAfter(0, p, bound);
    }

    /** How many lines the child has printed so far: a position for {@link #awaitPrefixAfter}. */
    public int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /**
     * Waits for a line starting with {@code prefix} among those printed after {@code mark}
     * lines: for answers a child prints again and again (one per repeated command).
     */
    public String awaitPrefixAfter(int mark, String prefix, Duration bound) {
        return awaitAfter(mark, l -> l.startsWith(prefix), bound);
    }

    private String awaitAfter(int mark, Predicate<String> p, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (lines) {
            while (true) {
                for (int i = mark; i < lines.size(); i++) {
                    if (p.test(lines.get(i))) {
                        return lines.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + " printed no matching line within " + bound + ":\n" + output());
                }
                if (outputEnded && !process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue()
                            + " without printing a matching line:\n" + output());
                }
                try {
                    lines.wait(Math.max(1, Math.min(left / 1_000_000, 200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** Waits for a line starting with {@code prefix}. */
    public String awaitPrefix(String prefix, Duration bound) {
        return await(l -> l.startsWith(prefix), bound);
    }

    /** Kills the child at once (SIGKILL): no goodbye, no stream end, as if it lost power. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the child to exit by itself (after a quit command). */
    public boolean awaitExit(Duration bound) {
        try {
            return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(Duration.ofSeconds(5))) {
                kill();
            }
        }
    }
}
