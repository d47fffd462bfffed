package org.xp2p.samples.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.upnp.MappingRequest;
import org.xp2p.upnp.MappingStatus;
import org.xp2p.upnp.PortMapper;
import org.xp2p.upnp.PortMapperSettings;
import org.xp2p.upnp.PortMapping;
import org.xp2p.upnp.Protocol;

/**
 * One running command-line device, everything the configuration asks for: the XMPP core
 * (serverless or broker), the DHT node the core publishes our presence through, and the
 * port mappings.
 * {@code run}, {@code peers} and {@code send} each start one, use it and close it.
 *
 * <p>Threads: those of its parts, plus one scheduler thread for the port mapper's renewals
 * when port mapping is on. {@link #tick()} runs on the command's thread. {@link #close()}
 * deletes the mappings, then closes the device and the DHT node.
 */
final class DeviceSession implements AutoCloseable {
    private static final Duration MAPPING_LIFETIME = Duration.ofHours(1);
    /**
     * How often a command that waits seconds for a peer ({@code send}, {@code peers}) has a
     * broker device look its offer contacts' DHT records up: one that published after our
     * start is seen within this, not at the library's pace of minutes.
     */
    static final Duration LOOKUPS_WHILE_WAITING = Duration.ofSeconds(2);
    private final DeviceConfig config;
    private final DeviceLog log;
    private final DeviceCore core;
    private DhtPresence dht;
    private PortMapper mapper;
    private ScheduledExecutorService mapperThread;
    private volatile Optional<InetSocketAddress> external = Optional.empty();
    private Map<String, String> lastLinks = Map.of();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private DeviceSession(DeviceConfig config, DeviceLog log, DeviceCore core) {
        this.config = config;
        this.log = log;
        this.core = core;
    }

    /** A long-running device ({@code xp2p run}): the library's own pace of contact lookups. */
    static DeviceSession start(DeviceConfig config, IdentityKey identity, DeviceLog log) throws CliException,
            InterruptedException {
        return start(config, identity, log, Optional.empty());
    }

    /**
     * @param contactLookups broker mode with a DHT: how often the offer contacts' records are
     *                       looked up; a command that waits seconds for a peer ({@code send},
     *                       {@code peers}) asks for short, {@code run} leaves it to the library
     */
    static DeviceSession start(DeviceConfig config, IdentityKey identity, DeviceLog log,
            Optional<Duration> contactLookups) throws CliException, InterruptedException {
        log.event("starting " + config.jid() + " (" + (config.serverless().isPresent() ? "serverless on "
                + config.serverless().get().getHostAddress() : "broker " + config.broker().get()) + "), identity "
                + IdentityKeys.fingerprint(identity.publicKey()) + ", " + config.allowList().size() + " peer(s) allowed");
        // the device publishes through the node (either mode), which must exist first
        DhtPresence dht = config.dht().isPresent() ? DhtPresence.start(config, identity, log) : null;
        Optional<DhtNode> node = Optional.ofNullable(dht).map(DhtPresence::node);
        DeviceCore core;
        try {
            core = config.serverless().isPresent() ? ServerlessCore.start(config, identity, node, log)
                    : BrokerCore.start(config, node, contactLookups, log);
        } catch (CliException | InterruptedException | RuntimeException e) {
            if (dht != null) {
                dht.close();
            }
            throw e;
        }
        DeviceSession s = new DeviceSession(config, log, core);
        s.dht = dht;
        try {
            log.event("announced as " + core.jid() + core.linkEndpoints().stream().map(e -> ", links on TCP "
                    + DeviceConfigFile.endpoint(e)).findFirst().orElse(""));
            if (config.portMapping()) {
                s.startPortMapping();
            }
            if (core instanceof ServerlessCore serverless && s.dht != null) {
                s.dht.track(serverless.dht().orElseThrow().published(), serverless::republish);
            } else if (core instanceof BrokerCore broker && s.dht != null) {
                s.dht.followDevice(broker::republish);
            }
        } catch (InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void startPortMapping() {
        InetAddress local = config.linkAddress().orElse(config.dht().map(DeviceConfig.Dht::address).orElse(null));
        if (local == null) {
            log.always("port mapping: nothing to map (no direct links and no DHT)");
            return;
        }
        mapperThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "xp2p-cli-portmapper");
            t.setDaemon(true);
            return t;
        });
        mapper = new PortMapper(PortMapperSettings.on(local).build(), mapperThread);
        log.event("port mapping: looking for a gateway (PCP, NAT-PMP, UPnP IGD)...");
        for (InetSocketAddress e : core.linkEndpoints()) {
            PortMapping m = mapper.map(new MappingRequest(Protocol.TCP, e.getPort(), e.getPort(), MAPPING_LIFETIME,
                    "xp2p links " + core.jid()));
            report("TCP links", m.status());
            mapper.addListener((mapping, previous, current) -> {
                if (mapping == m) {
                    report("TCP links", current);
                    external = current.publiclyReachable() ? current.mapping().map(x -> new InetSocketAddress(
                            x.externalAddress(), x.externalPort())) : Optional.empty();
                    core.externalEndpoint(external); // the device republishes, into the DHT too
                }
            });
            if (m.status().publiclyReachable()) {
                external = m.status().mapping().map(x -> new InetSocketAddress(x.externalAddress(), x.externalPort()));
                core.externalEndpoint(external);
            }
        }
        if (dht != null) {
            PortMapping m = mapper.map(new MappingRequest(Protocol.UDP, dht.port(), dht.port(), MAPPING_LIFETIME,
                    "xp2p dht " + core.jid()));
            report("UDP DHT", m.status());
        }
    }

    private void report(String what, MappingStatus status) {
        log.always("port mapping (" + what + "): " + status.state() + status.mapping().map(m -> " " + m.method() + " "
                + m.externalAddress().getHostAddress() + ":" + m.externalPort()).orElse("")
                + (status.problems().isEmpty() ? "" : " - " + String.join("; ", status.problems())));
    }

    DeviceCore core() {
        return core;
    }

    /** What the device sees (mDNS or broker) and, with a DHT, the allowed peers' published presence. */
    List<PeerView> peers() throws InterruptedException {
        List<PeerView> out = new ArrayList<>(core.peers());
        if (dht != null) {
            // looked up now, not as last refreshed: a peer may have published since we started
            for (DeviceConfig.AllowedPeer p : config.allowList()) {
                Optional<PeerInfo> found = dht.lookup(p.identityKey());
                found.ifPresent(info -> {
                    // a broker device lists its offer contacts' records itself: one line per record
                    out.removeIf(v -> v.source().equals(PeerInfo.Source.DHT.name()) && v.jid().equals(info.jid()));
                    out.add(PeerView.of(info, null));
                });
            }
        }
        return out;
    }

    /** Periodic upkeep on the command's thread: narrates link changes, republishes when the DHT gets a node. */
    void tick() throws InterruptedException {
        core.tick();
        Map<String, String> now = core.links();
        for (Map.Entry<String, String> e : now.entrySet()) {
            if (!e.getValue().equals(lastLinks.get(e.getKey()))) {
                log.event("link to " + e.getKey() + ": " + e.getValue());
            }
        }
        lastLinks = new HashMap<>(now);
        if (dht != null) {
            dht.tick();
        }
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        if (mapper != null) {
            mapper.close();
        }
        if (mapperThread != null) {
            mapperThread.shutdownNow();
        }
        // the device before the DHT node it publishes through (the node is ours to close)
        core.close();
        if (dht != null) {
            dht.close();
        }
    }
}
