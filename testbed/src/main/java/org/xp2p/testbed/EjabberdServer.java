package org.xp2p.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real ejabberd (Debian package {@code ejabberd}), the second XMPP server the device is
 * tested against, Prosody being the first: one virtual host {@code localhost}, c2s on one
 * address and port without TLS, in-band registration open, its database and logs in a
 * temporary folder. It runs as a plain Erlang VM without distribution, so no epmd starts
 * and nothing listens beyond the one c2s port. {@link #close()} stops it.
 */
public final class EjabberdServer implements AutoCloseable {
    /** The virtual host, so JIDs are user@localhost. */
    public static final String DOMAIN = "localhost";

    private final String address;
    private final int port;
    private final Daemon daemon;

    private EjabberdServer(String address, int port, Daemon daemon) {
        this.address = address;
        this.port = port;
        this.daemon = daemon;
    }

    /** Starts ejabberd on 127.0.0.1 and a free port. */
    public static EjabberdServer startOnLoopback() {
        TestEnvironment.requireProgram("ejabberdctl", "ejabberd");
        String address = "127.0.0.1";
        int port = FreePort.tcp();
        try {
            Path dir = Files.createTempDirectory("xp2p-ejabberd-");
            Files.createDirectories(dir.resolve("spool"));
            Path config = dir.resolve("ejabberd.yml");
            Files.writeString(config, config(address, port));
            List<String> command = new ArrayList<>(List.of("env",
                    "EJABBERD_CONFIG_PATH=" + config,
                    "EJABBERD_LOG_PATH=" + dir.resolve("ejabberd.log"),
                    "ERL_CRASH_DUMP=" + dir.resolve("erl_crash.dump"),
                    "ERL_LIBS=" + erlangLibraries(),
                    "HOME=" + dir,
                    "erl", "-noinput", "-noshell", "+K", "true",
                    "-mnesia", "dir", "\"" + dir.resolve("spool") + "\"",
                    "-s", "ejabberd"));
            Daemon daemon = Daemon.start("ejabberd", command, dir.resolve("console.log"));
            EjabberdServer server = new EjabberdServer(address, port, daemon);
            try {
                daemon.awaitTcp(null, address, port, Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare an ejabberd folder: " + e.getMessage(), e);
        }
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public String log() {
        return daemon.log();
    }

    /** The folder holding the {@code ejabberd-<version>} application (Debian: /usr/lib/<arch>). */
    private static String erlangLibraries() throws IOException {
        try (Stream<Path> dirs = Files.find(Path.of("/usr/lib"), 2,
                (p, a) -> a.isDirectory() && p.getFileName().toString().matches("ejabberd-[0-9][0-9.-]*"))) {
            return dirs.findFirst().map(p -> p.getParent().toString())
                    .orElseThrow(() -> new IllegalStateException("ejabberd's Erlang application is not under /usr/lib"));
        }
    }

    private static String config(String address, int port) {
        return String.join("\n",
                "# Written by xp2p's test bed; see EjabberdServer.java.",
                "hosts:",
                "  - " + DOMAIN,
                "loglevel: warning",
                "certfiles: []",
                "listen:",
                "  -",
                "    port: " + port,
                "    ip: \"" + address + "\"",
                "    module: ejabberd_c2s",
                "    starttls: false",
                "    shaper: none",
                "    access: all",
                "auth_method: internal",
                "registration_timeout: infinity",
                "access_rules:",
                "  register:",
                "    allow: all",
                "shaper_rules: {}",
                "modules:",
                "  mod_roster: {}",
                "  mod_register:",
                "    ip_access: all",
                "    access: register",
                "  mod_ping: {}",
                "  mod_disco: {}",
                "");
    }

    @Override
    public void close() {
        daemon.close();
    }
}
