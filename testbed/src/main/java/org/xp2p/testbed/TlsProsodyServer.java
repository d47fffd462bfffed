package org.xp2p.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prosody on loopback that requires STARTTLS, with a certificate for the virtual
 * host {@code localhost} issued by a throw-away CA made here with openssl. Tests pin that
 * CA ({@link #caCertificate()}); {@link #makeUnrelatedCa()} gives a CA that did not sign
 * the server's certificate, to prove that verification is real. Accounts are stored hashed
 * (SCRAM). {@link #close()} stops Prosody.
 */
public final class TlsProsodyServer implements AutoCloseable {
    public static final String DOMAIN = ProsodyServer.DOMAIN;

    private final Path dir;
    private final int port;
    private final Daemon daemon;

    private TlsProsodyServer(Path dir, int port, Daemon daemon) {
        this.dir = dir;
        this.port = port;
        this.daemon = daemon;
    }

    /** Starts Prosody on 127.0.0.1 and a free port, logging every stanza (see {@link #log()}). */
    public static TlsProsodyServer startOnLoopback() {
        return start("debug");
    }

    /**
     * As {@link #startOnLoopback()}, but logging warnings only, as a broker in service does:
     * see {@link ProsodyServer#startOnLoopbackForBenchmarks()}.
     */
    public static TlsProsodyServer startOnLoopbackForBenchmarks() {
        return start("warn");
    }

    private static TlsProsodyServer start(String fileLogLevel) {
        TestEnvironment.requireProgram("prosody", "prosody");
        TestEnvironment.requireProgram("openssl", "openssl");
        try {
            Path dir = Files.createTempDirectory("xp2p-prosody-tls-");
            Files.createDirectories(dir.resolve("data"));
            makeCa(dir, "ca", "xp2p test CA");
            openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=" + DOMAIN);
            Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:" + DOMAIN + "\nbasicConstraints=CA:FALSE\n"
                    + "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
            openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
            int port = FreePort.tcp();
            Files.writeString(dir.resolve("prosody.cfg.lua"), config(dir, port, fileLogLevel));
            Daemon daemon = Daemon.start("prosody-tls", List.of("prosody", "--config",
                    dir.resolve("prosody.cfg.lua").toString()), dir.resolve("console.log"));
            daemon.awaitTcp(null, "127.0.0.1", port, Duration.ofSeconds(20));
            return new TlsProsodyServer(dir, port, daemon);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare a TLS Prosody: " + e.getMessage(), e);
        }
    }

    private static void makeCa(Path dir, String name, String cn) {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".crt",
                "-days", "2", "-subj", "/CN=" + cn, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private static void openssl(Path dir, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public String address() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** The PEM file of the CA that issued the server's certificate. */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /** A second CA, unrelated to the server's certificate; returns its PEM file. */
    public Path makeUnrelatedCa() {
        makeCa(dir, "other-ca", "someone else's CA");
        return dir.resolve("other-ca.crt");
    }

    public String log() {
        return daemon.log();
    }

    /** CPU time Prosody has used so far (user and system). */
    public Duration cpuTime() {
        return daemon.cpuTime();
    }

    private static String config(Path dir, int port, String fileLogLevel) {
        String ssl = "{ certificate = \"" + dir.resolve("server.crt") + "\"; key = \"" + dir.resolve("server.key") + "\"; }";
        return String.join("\n",
                "-- Written by xp2p's test bed; see TlsProsodyServer.java.",
                "run_as_root = true",
                "daemonize = false",
                "pidfile = \"" + dir.resolve("prosody.pid") + "\"",
                "data_path = \"" + dir.resolve("data") + "\"",
                "log = { " + fileLogLevel + " = \"" + dir.resolve("prosody.log") + "\"; error = \"*console\" }",
                "interfaces = { \"127.0.0.1\" }",
                "local_interfaces = { \"127.0.0.1\" }",
                "c2s_ports = { " + port + " }",
                "c2s_direct_tls_ports = { }",
                "s2s_ports = { }",
                "http_ports = { }",
                "https_ports = { }",
                "component_ports = { }",
                "modules_enabled = { \"roster\"; \"saslauth\"; \"tls\"; \"disco\"; \"ping\"; \"register\"; \"presence\"; \"message\"; \"iq\" }",
                "modules_disabled = { \"s2s\"; \"posix\" }",
                "allow_registration = true",
                "min_seconds_between_registrations = 0",
                "authentication = \"internal_hashed\"",
                "c2s_require_encryption = true",
                "allow_unencrypted_plain_auth = false",
                "ssl = " + ssl,
                "VirtualHost \"" + DOMAIN + "\"",
                "  ssl = " + ssl,
                "");
    }

    @Override
    public void close() {
        daemon.close();
    }
}
