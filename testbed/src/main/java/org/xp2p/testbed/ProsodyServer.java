package org.xp2p.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Prosody (Debian package prosody) started by a test, with a config of its own in
 * a temporary folder: c2s on one address and port only (loopback or a namespace
 * address), no s2s, no HTTP, in-band registration on, plaintext streams allowed (tests
 * only: real deployments use TLS), offline storage as Prosody keeps it by default.
 * {@link #restart()} stops and starts it on the same
 * port with the same accounts, for reconnection tests.
 */
public final class ProsodyServer implements AutoCloseable {
    /** The virtual host, so JIDs are user@localhost. */
    public static final String DOMAIN = "localhost";

    private final Path dir;
    private final NetNs ns;
    private final String address;
    private final int port;
    private Daemon daemon;

    private ProsodyServer(Path dir, NetNs ns, String address, int port) {
        this.dir = dir;
        this.ns = ns;
        this.address = address;
        this.port = port;
    }

    /** Starts Prosody on 127.0.0.1 and a free port, logging every stanza (see {@link #log()}). */
    public static ProsodyServer startOnLoopback() {
        return start(null, "127.0.0.1", FreePort.tcp());
    }

    /**
     * Starts Prosody on 127.0.0.1 and a free port as a broker in service runs: it logs
     * warnings only. The tests' debug log writes every stanza to disk, which costs Prosody
     * more CPU than routing the stanza, so a benchmark against it would flatter direct links.
     */
    public static ProsodyServer startOnLoopbackForBenchmarks() {
        return start(null, "127.0.0.1", FreePort.tcp(), "warn");
    }

    /**
     * As {@link #startOnLoopback()}, without offline storage (Prosody loads mod_offline
     * unless told not to): a message to an account with no available resource comes back
     * as service-unavailable (RFC 6121 section 8.5.2.2.1) rather than waiting on the server.
     */
    public static ProsodyServer startOnLoopbackWithoutOfflineStorage() {
        return start(null, "127.0.0.1", FreePort.tcp(), "debug", false, false);
    }

    /**
     * As {@link #startOnLoopback()}, with stream management (XEP-0198, mod_smacks) as
     * Debian's default configuration has it: a client that loses its connection may resume
     * its session, and gets what the server sent it meanwhile again.
     */
    public static ProsodyServer startOnLoopbackWithStreamManagement() {
        return start(null, "127.0.0.1", FreePort.tcp(), "debug", true, true);
    }

    /** Starts Prosody inside {@code ns} (null: this namespace) on {@code address:port}. */
    public static ProsodyServer start(NetNs ns, String address, int port) {
        return start(ns, address, port, "debug");
    }

    private static ProsodyServer start(NetNs ns, String address, int port, String fileLogLevel) {
        return start(ns, address, port, fileLogLevel, true, false);
    }

    private static ProsodyServer start(NetNs ns, String address, int port, String fileLogLevel,
            boolean offlineStorage, boolean streamManagement) {
        TestEnvironment.requireProgram("prosody", "prosody");
        try {
            Path dir = Files.createTempDirectory("xp2p-prosody-");
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("prosody.cfg.lua"), config(dir, address, port, fileLogLevel, offlineStorage, streamManagement));
            ProsodyServer server = new ProsodyServer(dir, ns, address, port);
            server.startDaemon();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare a Prosody folder: " + e.getMessage(), e);
        }
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public String log() {
        return daemon == null ? "" : daemon.log();
    }

    /** Prosody's own log file (every stanza at the tests' debug level); empty when there is none yet. */
    public String fileLog() {
        try {
            return Files.readString(dir.resolve("prosody.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** CPU time the running Prosody has used since it started (user + system). */
    public Duration cpuTime() {
        return daemon.cpuTime();
    }

    /** Stops Prosody and starts it again on the same port; accounts and rosters survive. */
    public void restart() {
        daemon.close();
        startDaemon();
    }

    /** Stops Prosody without starting it again (a broker outage). */
    public void stop() {
        daemon.close();
    }

    /** Starts a stopped Prosody again. */
    public void startAgain() {
        if (daemon.alive()) {
            throw new IllegalStateException("Prosody is still running");
        }
        startDaemon();
    }

    private void startDaemon() {
        List<String> command = new ArrayList<>();
        if (ns != null) {
            command.addAll(ns.inside());
        }
        command.addAll(List.of("prosody", "--config", dir.resolve("prosody.cfg.lua").toString()));
        daemon = Daemon.start("prosody", command, dir.resolve("console.log"));
        daemon.awaitTcp(ns, address, port, Duration.ofSeconds(20));
    }

    private static String config(Path dir, String address, int port, String fileLogLevel, boolean offlineStorage,
            boolean streamManagement) {
        return String.join("\n",
                "-- Written by xp2p's test bed; see ProsodyServer.java.",
                "run_as_root = true",
                "daemonize = false",
                "pidfile = \"" + dir.resolve("prosody.pid") + "\"",
                "data_path = \"" + dir.resolve("data") + "\"",
                "log = { " + fileLogLevel + " = \"" + dir.resolve("prosody.log") + "\"; error = \"*console\" }",
                "interfaces = { \"" + address + "\" }",
                "local_interfaces = { \"" + address + "\" }",
                "c2s_ports = { " + port + " }",
                "c2s_direct_tls_ports = { }",
                "s2s_ports = { }",
                "http_ports = { }",
                "https_ports = { }",
                "component_ports = { }",
                "modules_enabled = { \"roster\"; \"saslauth\"; \"disco\"; \"ping\"; \"register\"; \"presence\"; \"message\"; \"iq\""
                        + (streamManagement ? "; \"smacks\"" : "") + " }",
                "modules_disabled = { \"s2s\"; \"tls\"; \"posix\"" + (offlineStorage ? "" : "; \"offline\"") + " }",
                "allow_registration = true",
                "min_seconds_between_registrations = 0",
                "authentication = \"internal_plain\"",
                "c2s_require_encryption = false",
                "allow_unencrypted_plain_auth = true",
                "limits = { }",
                "VirtualHost \"" + DOMAIN + "\"",
                "");
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.close();
        }
    }
}
