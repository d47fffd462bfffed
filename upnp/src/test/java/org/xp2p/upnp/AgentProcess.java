package org.xp2p.upnp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.xp2p.testbed.NetNs;

/**
 * A {@link MapperAgent} child JVM inside a namespace, seen from the test: send a command line, wait
 * for the answer line. Owns the child process; {@link #close()} ends it (politely, then by force).
 */
final class AgentProcess implements AutoCloseable {
    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();
    private final Path stderr;

    private AgentProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // child gone
            }
        }, "agent-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the agent in {@code ns} bound to {@code localAddress}, trying {@code methods} (comma
     * list of {@link MappingMethod} names) with the given timings in milliseconds.
     */
    static AgentProcess start(NetNs ns, Path workDir, String localAddress, String methods, long discoveryMillis,
            long checkMillis, long retryMillis) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = ns.inside(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", System.getProperty("java.class.path"),
                MapperAgent.class.getName(), localAddress, methods, Long.toString(discoveryMillis),
                Long.toString(checkMillis), Long.toString(retryMillis));
        Files.createDirectories(workDir);
        Path stderr = Files.createTempFile(workDir, "agent-", ".log");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        AgentProcess agent = new AgentProcess(p, stderr);
        agent.await(l -> l.equals("ready"), Duration.ofSeconds(30));
        return agent;
    }

    void send(String command) throws IOException {
        transcript.add("> " + command);
        in.write(command + "\n");
        in.flush();
    }

    /** Sends {@code command} and returns the status it answers for {@code key}. */
    AgentStatus ask(String command, String key, Duration timeout) throws IOException {
        send(command);
        return AgentStatus.parse(await(l -> l.startsWith("status " + key + " "), timeout));
    }

    AgentStatus status(String key) throws IOException {
        return ask("status " + key, key, Duration.ofSeconds(30));
    }

    /** Polls the status of {@code key} until {@code condition} holds; fails with the transcript otherwise. */
    AgentStatus awaitStatus(String key, Predicate<AgentStatus> condition, Duration timeout, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        AgentStatus s = status(key);
        while (!condition.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("agent never reached: " + what + "; last status " + s + "\n" + diagnostics());
            }
            Thread.sleep(200);
            s = status(key);
        }
        return s;
    }

    /** The next line matching {@code wanted}; earlier non-matching lines are kept in the transcript. */
    String await(Predicate<String> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no expected answer from the agent within " + timeout + "\n"
                            + diagnostics());
                }
                transcript.add("< " + line);
                if (wanted.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    List<String> transcript() {
        return List.copyOf(transcript);
    }

    String diagnostics() {
        String log;
        try {
            log = Files.readString(stderr);
        } catch (IOException e) {
            log = "(no log)";
        }
        return "transcript:\n" + String.join("\n", transcript) + "\nagent log:\n" + log;
    }

    /** Kills the child at once, as a crash would: nothing is deleted on the gateway. */
    void crash() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Asks the agent to close everything and exit; returns once it said goodbye. */
    void exit(Duration timeout) throws IOException {
        send("exit");
        await(l -> l.equals("bye"), timeout);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                send("exit");
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
