package org.xp2p.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace the test creates and deletes: a host of its own with its own
 * addresses, so tests can send packets without touching the machine's real network.
 * Names carry the JVM's pid so that parallel test runs do not collide.
 */
public final class NetNs implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final String name;

    private NetNs(String name) {
        this.name = name;
    }

    /** Creates {@code xp<pid>-<tag>-<n>} with its loopback up. */
    public static NetNs create(String tag) {
        TestEnvironment.requireRoot();
        TestEnvironment.requireProgram("ip", "iproute2");
        String name = "xp" + ProcessHandle.current().pid() + "-" + tag + "-" + SEQ.incrementAndGet();
        if (name.length() > 40) {
            throw new IllegalArgumentException("namespace tag too long: " + tag);
        }
        Command.run("ip", "netns", "add", name);
        NetNs ns = new NetNs(name);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    public String name() {
        return name;
    }

    /** Runs a command inside this namespace and returns its output. */
    public String exec(String... command) {
        return Command.run(inside(command));
    }

    /** The command line that runs {@code command} inside this namespace. */
    public List<String> inside(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return full;
    }

    /**
     * Connects two namespaces with a veth pair and gives each end an address.
     *
     * @param cidrA e.g. {@code 10.77.0.1/24}
     */
    public static Veth link(NetNs a, String cidrA, NetNs b, String cidrB) {
        int n = SEQ.incrementAndGet();
        String ifA = "xa" + ProcessHandle.current().pid() % 100000 + "_" + n;
        String ifB = "xb" + ProcessHandle.current().pid() % 100000 + "_" + n;
        Command.run("ip", "link", "add", ifA, "type", "veth", "peer", "name", ifB);
        Command.run("ip", "link", "set", ifA, "netns", a.name);
        Command.run("ip", "link", "set", ifB, "netns", b.name);
        a.exec("ip", "addr", "add", cidrA, "dev", ifA);
        b.exec("ip", "addr", "add", cidrB, "dev", ifB);
        a.exec("ip", "link", "set", ifA, "up");
        b.exec("ip", "link", "set", ifB, "up");
        return new Veth(a, ifA, address(cidrA), b, ifB, address(cidrB));
    }

    private static String address(String cidr) {
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }

    @Override
    public void close() {
        for (String pid : pids()) {
            Command.quietly("kill", "-9", pid);
        }
        Command.quietly("ip", "netns", "del", name);
    }

    private List<String> pids() {
        try {
            String out = Command.run("ip", "netns", "pids", name).trim();
            return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
        } catch (IllegalStateException e) {
            return List.of();
        }
    }

    /** Both ends of a veth pair: namespace, interface name and address. */
    public record Veth(NetNs a, String ifA, String addressA, NetNs b, String ifB, String addressB) {
        public void down() {
            a.exec("ip", "link", "set", ifA, "down");
        }

        public void up() {
            a.exec("ip", "link", "set", ifA, "up");
        }
    }
}
