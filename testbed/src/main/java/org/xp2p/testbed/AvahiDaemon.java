package org.xp2p.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real avahi-daemon (with its own D-Bus system bus) inside a test namespace, restricted
 * to one interface, in a private mount namespace so several can run at once (see
 * TESTBED.md). Offers avahi-browse and avahi-publish against it. {@link #close()} stops
 * the daemon, the bus and every publisher started here.
 */
public final class AvahiDaemon implements AutoCloseable {
    private final NetNs ns;
    private final Path dir;
    private final Daemon daemon;
    private final List<Daemon> publishers = new ArrayList<>();

    private AvahiDaemon(NetNs ns, Path dir, Daemon daemon) {
        this.ns = ns;
        this.dir = dir;
        this.daemon = daemon;
    }

    /** Starts avahi-daemon in {@code ns} on {@code iface} (IPv4 only) with its files under {@code dir}. */
    public static AvahiDaemon start(NetNs ns, String iface, Path dir) {
        TestEnvironment.requireProgram("avahi-daemon", "avahi-daemon");
        TestEnvironment.requireProgram("avahi-browse", "avahi-utils");
        TestEnvironment.requireProgram("dbus-daemon", "dbus");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("avahi.conf"), String.join("\n",
                    "[server]", "use-ipv4=yes", "use-ipv6=no", "allow-interfaces=" + iface, "enable-dbus=yes",
                    "[publish]", "publish-hinfo=no", "publish-workstation=no",
                    "[wide-area]", "enable-wide-area=no", ""));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write avahi.conf under " + dir, e);
        }
        String bus = "unix:path=" + dir.resolve("dbus.sock");
        String script = String.join("\n",
                "mkdir -p /run/avahi-daemon && mount -t tmpfs none /run/avahi-daemon || exit 1",
                "export DBUS_SYSTEM_BUS_ADDRESS=" + bus,
                "dbus-daemon --config-file=/usr/share/dbus-1/system.conf --address=$DBUS_SYSTEM_BUS_ADDRESS --nofork --nopidfile &",
                "for i in $(seq 50); do [ -S " + dir.resolve("dbus.sock") + " ] && break; sleep 0.1; done",
                "avahi-daemon -f " + dir.resolve("avahi.conf") + " --no-chroot --no-drop-root --no-rlimits &",
                "wait");
        Daemon d = Daemon.start("avahi-daemon", ns.inside("unshare", "-m", "--propagation", "private", "bash", "-c",
                script), dir.resolve("avahi.log"));
        AvahiDaemon avahi = new AvahiDaemon(ns, dir, d);
        try {
            d.awaitLog("Server startup complete", Duration.ofSeconds(20));
        } catch (RuntimeException e) {
            avahi.close();
            throw e;
        }
        return avahi;
    }

    private List<String> withBus(String... command) {
        List<String> full = new ArrayList<>(List.of("env", "DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + dir.resolve("dbus.sock")));
        full.addAll(List.of(command));
        return ns.inside(full.toArray(String[]::new));
    }

    /** {@code avahi-browse -rpt TYPE}: one line per record, parsable ({@code =;iface;IPv4;name;...;txt}). */
    public String browse(String type) {
        return Command.run(withBus("avahi-browse", "-rpt", type));
    }

    /** Publishes a service with {@code avahi-publish -s} until the returned daemon is closed. */
    public Daemon publish(String name, String type, int port, String... txt) {
        List<String> command = new ArrayList<>(List.of("avahi-publish", "-s", name, type, Integer.toString(port)));
        command.addAll(List.of(txt));
        Daemon p = Daemon.start("avahi-publish " + name, withBus(command.toArray(String[]::new)),
                dir.resolve("publish-" + publishers.size() + ".log"));
        publishers.add(p);
        p.awaitLog("Established under name", Duration.ofSeconds(20));
        return p;
    }

    public String log() {
        return daemon.log();
    }

    @Override
    public void close() {
        for (Daemon p : publishers) {
            p.close();
        }
        daemon.close();
    }
}
