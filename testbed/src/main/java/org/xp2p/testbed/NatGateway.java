package org.xp2p.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A home router in namespaces: {@code lan -> gw -> wan}, with gw forwarding and masquerading, its
 * firewall and NAT in nftables the way miniupnpd expects them (table {@code inet filter}), and
 * optionally a real miniupnpd (UPnP IGD, NAT-PMP, PCP) on the LAN side. The forward policy is drop:
 * a connection from wan reaches lan only through a mapping miniupnpd made.
 *
 * <p>miniupnpd refuses to work with a private WAN address, so its config declares
 * {@link #DECLARED_EXTERNAL_IP}; nothing may ever be sent there. Reach the LAN through
 * {@link #wanAddress()}, gw's real address on the wan link. Each miniupnpd gets its own pid file,
 * which lets several instances (in different namespaces) run on one machine.
 *
 * <p>Owns its namespaces, veths (deleted with the namespaces) and daemon; {@link #close()} removes all.
 */
public final class NatGateway implements AutoCloseable {
    /** What miniupnpd reports as its external address: public-looking, never contacted. */
    public static final String DECLARED_EXTERNAL_IP = "11.22.33.44";
    public static final String LAN_HOST = "192.168.77.10";
    public static final String GW_LAN = "192.168.77.1";
    public static final String GW_WAN = "10.99.0.1";
    public static final String WAN_HOST = "10.99.0.2";
    public static final String LAN_SUBNET = "192.168.77.0/24";
    /** The chains miniupnpd fills; flushed on restart as a router's reboot (or Debian's stop script) does. */
    public static final List<String> MINIUPNPD_CHAINS =
            List.of("miniupnpd", "prerouting_miniupnpd", "postrouting_miniupnpd");

    private final Path dir;
    private final List<NetNs> namespaces = new ArrayList<>();
    private NetNs lan;
    private NetNs gw;
    private NetNs wan;
    private NetNs.Veth lanLink;
    private NetNs.Veth wanLink;
    private Daemon miniupnpd;
    private boolean igdV1;
    private int starts;

    private NatGateway(Path dir) {
        this.dir = dir;
    }

    /** Builds the three namespaces and the router's firewall, without miniupnpd. */
    public static NatGateway build(Path workDir) {
        TestEnvironment.requireRoot();
        TestEnvironment.requireProgram("nft", "nftables");
        NatGateway g = new NatGateway(workDir);
        try {
            g.lan = g.add(NetNs.create("lan"));
            g.gw = g.add(NetNs.create("gw"));
            g.wan = g.add(NetNs.create("wan"));
            g.lanLink = NetNs.link(g.lan, LAN_HOST + "/24", g.gw, GW_LAN + "/24");
            g.wanLink = NetNs.link(g.gw, GW_WAN + "/24", g.wan, WAN_HOST + "/24");
            g.lan.exec("ip", "route", "add", "default", "via", GW_LAN);
            g.gw.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            Path rules = workDir.resolve("gateway.nft");
            Files.createDirectories(workDir);
            Files.writeString(rules, ruleset(g.lanLink.ifB(), g.wanLink.ifA()));
            g.gw.exec("nft", "-f", rules.toString());
            return g;
        } catch (IOException | RuntimeException e) {
            g.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot build the gateway: " + e.getMessage(), e);
        }
    }

    private NetNs add(NetNs ns) {
        namespaces.add(ns);
        return ns;
    }

    private static String ruleset(String lanIf, String wanIf) {
        return "table inet filter {\n"
                + "  chain forward {\n"
                + "    type filter hook forward priority 0; policy drop;\n"
                + "    ct state established,related accept\n"
                + "    iifname \"" + lanIf + "\" accept\n"
                + "    jump miniupnpd\n"
                + "  }\n"
                + "  chain miniupnpd {\n  }\n"
                + "  chain prerouting {\n"
                + "    type nat hook prerouting priority -100; policy accept;\n"
                + "    jump prerouting_miniupnpd\n"
                + "  }\n"
                + "  chain postrouting {\n"
                + "    type nat hook postrouting priority 100; policy accept;\n"
                + "    oifname \"" + wanIf + "\" masquerade\n"
                + "    jump postrouting_miniupnpd\n"
                + "  }\n"
                + "  chain prerouting_miniupnpd {\n  }\n"
                + "  chain postrouting_miniupnpd {\n  }\n"
                + "}\n";
    }

    /**
     * Starts miniupnpd on gw with UPnP IGD (v2, or v1 when {@code forceIgdV1}), NAT-PMP and PCP,
     * secure mode, and a minimum lifetime of 1 s so tests can watch renewals.
     */
    public NatGateway startMiniupnpd(boolean forceIgdV1) {
        TestEnvironment.requireProgram("miniupnpd", "miniupnpd");
        if (miniupnpd != null) {
            throw new IllegalStateException("miniupnpd is already running; restartMiniupnpd() restarts it");
        }
        this.igdV1 = forceIgdV1;
        starts++;
        Path conf = dir.resolve("miniupnpd.conf");
        String text = "ext_ifname=" + wanLink.ifA() + "\n"
                + "ext_ip=" + DECLARED_EXTERNAL_IP + "\n"
                + "listening_ip=" + lanLink.ifB() + "\n"
                + "http_port=5000\n"
                + "enable_natpmp=yes\n"
                + "enable_upnp=yes\n"
                + "secure_mode=yes\n"
                + "system_uptime=no\n"
                + "min_lifetime=1\n"
                + "force_igd_desc_v1=" + (forceIgdV1 ? "yes" : "no") + "\n"
                + "uuid=" + UUID.randomUUID() + "\n"
                + "allow 1024-65535 " + LAN_SUBNET + " 1024-65535\n"
                + "deny 0-65535 0.0.0.0/0 0-65535\n";
        try {
            Files.writeString(conf, text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + conf, e);
        }
        miniupnpd = Daemon.start("miniupnpd", gw.inside("miniupnpd", "-f", conf.toString(), "-d",
                "-P", dir.resolve("miniupnpd.pid").toString()), dir.resolve("miniupnpd-" + starts + ".log"));
        miniupnpd.awaitLog("Listening for NAT-PMP/PCP traffic", Duration.ofSeconds(15));
        miniupnpd.awaitTcp(lan, GW_LAN, 5000, Duration.ofSeconds(15));
        return this;
    }

    /** Stops miniupnpd and flushes its chains, as a router reboot does: every mapping is gone. */
    public void stopMiniupnpd() {
        if (miniupnpd != null) {
            miniupnpd.close();
            miniupnpd = null;
        }
        for (String chain : MINIUPNPD_CHAINS) {
            gw.exec("nft", "flush", "chain", "inet", "filter", chain);
        }
    }

    /** A router reboot: stop, forget every mapping, start again with the same settings. */
    public void restartMiniupnpd() {
        stopMiniupnpd();
        startMiniupnpd(igdV1);
    }

    public NetNs lan() {
        return lan;
    }

    public NetNs gw() {
        return gw;
    }

    public NetNs wan() {
        return wan;
    }

    public String lanInterface() {
        return lanLink.ifA();
    }

    /** gw's real address on the wan link: where wan hosts connect to reach mapped ports. */
    public String wanAddress() {
        return GW_WAN;
    }

    /** The rules miniupnpd keeps for its mappings (one dnat per mapping). */
    public String natRules() {
        return gw.exec("nft", "list", "chain", "inet", "filter", "prerouting_miniupnpd");
    }

    /** miniupnpc's listing of the gateway's mappings, from lan (a client nobody here wrote). */
    public String upnpcList() {
        TestEnvironment.requireProgram("upnpc", "miniupnpc");
        return lan.exec("upnpc", "-m", lanInterface(), "-l");
    }

    /**
     * Takes {@code externalPort} for another LAN host (the router's own LAN address, which
     * miniupnpd's secure mode lets map to itself), so that a device's wish for that port conflicts
     * with someone else's mapping. (miniupnpd lets a host overwrite its own mappings, so a mapping
     * made from the device's address would not conflict.)
     */
    public void mapForAnotherHost(int externalPort, String protocol, String description) {
        TestEnvironment.requireProgram("upnpc", "miniupnpc");
        gw.exec("upnpc", "-u", "http://" + GW_LAN + ":5000/rootDesc.xml", "-e", description, "-a", GW_LAN, "7999",
                Integer.toString(externalPort), protocol, "300");
    }

    /** Connects from wan to gw's WAN address and returns the first line the far end sends, or fails. */
    public String tcpFromWan(int port) {
        return wan.exec("timeout", "5", "bash", "-c",
                "exec 3<>/dev/tcp/" + GW_WAN + "/" + port + "; head -1 <&3").trim();
    }

    /** Sends a datagram from wan to gw's WAN address and returns the first reply line, or fails. */
    public String udpFromWan(int port) {
        return wan.exec("timeout", "5", "bash", "-c",
                "exec 3<>/dev/udp/" + GW_WAN + "/" + port + "; echo ping >&3; head -1 <&3").trim();
    }

    public String miniupnpdLog() {
        return miniupnpd == null ? "(not running)" : miniupnpd.log();
    }

    @Override
    public void close() {
        if (miniupnpd != null) {
            miniupnpd.close();
            miniupnpd = null;
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            namespaces.get(i).close();
        }
        namespaces.clear();
    }
}
