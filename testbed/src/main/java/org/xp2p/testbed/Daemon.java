package org.xp2p.testbed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A long-running third-party program a test started (Prosody, avahi-daemon, miniupnpd…),
 * with its output in a log file; {@link #close()} kills it and everything it started.
 */
public final class Daemon implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command}; its output goes to {@code logFile}. */
    public static Daemon start(String name, List<String> command, Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            p.getOutputStream().close();
            return new Daemon(name, p, logFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** CPU time the daemon's process has used so far (user + system), as the kernel counts it. */
    public Duration cpuTime() {
        return process.info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException(name + ": the platform does not report its CPU time"));
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Waits until a TCP connect to {@code host:port} succeeds, from inside {@code ns} when
     * it is not null (via bash's /dev/tcp, as the test bed has no ping or nc).
     */
    public void awaitTcp(NetNs ns, String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            if (ns == null ? canConnect(host, port) : canConnectInside(ns, host, port)) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException(name + " is not listening on " + host + ":" + port + " after " + timeout
                + ":\n" + log());
    }

    /** Waits until the log contains {@code text}. */
    public void awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            sleep(100);
        }
        throw new IllegalStateException(name + " did not log '" + text + "' within " + timeout + ":\n" + log());
    }

    private static boolean canConnect(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean canConnectInside(NetNs ns, String host, int port) {
        try {
            ns.exec("bash", "-c", "exec 3<>/dev/tcp/" + host + "/" + port);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
