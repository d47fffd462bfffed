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
import org.xp2p.discovery.dht.PresenceMirror;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.upnp.MappingRequest;
import org.xp2p.upnp.MappingStatus;
import org.xp2p.upnp.PortMapper;
import org.xp2p.upnp.PortMapperSettings;
import org.xp2p.upnp.PortMapping;
import org.xp2p.upnp.Protocol;

/**
 * One running command-line device, everything the configuration asks for: the XMPP core
 * (serverless or broker), the DHT node publishing our presence, and the port mappings.
 * {@code run}, {@code peers} and {@code send} each start one, use it and close it.
 *
 * <p>Threads: those of its parts, plus one scheduler thread for the port mapper's renewals
 * when port mapping is on. {@link #tick()} runs on the command's thread. {@link #close()}
 * deletes the mappings, then closes the device and the DHT node.
 */
final class DeviceSession implements AutoCloseable {
    private static final Duration MAPPING_LIFETIME = Duration.ofHours(1);
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

    static DeviceSession start(DeviceConfig config, IdentityKey identity, DeviceLog log) throws CliException,
            InterruptedException {
        log.event("starting " + config.jid() + " (" + (config.serverless().isPresent() ? "serverless on "
                + config.serverless().get().getHostAddress() : "broker " + config.broker().get()) + "), identity "
                + IdentityKeys.fingerprint(identity.publicKey()) + ", " + config.allowList().size() + " peer(s) allowed");
        // serverless: the device publishes through the node, which must exist first
        DhtPresence dht = config.dht().isPresent() && config.serverless().isPresent()
                ? DhtPresence.start(config, identity, log) : null;
        DeviceCore core;
        try {
            core = config.serverless().isPresent()
                    ? ServerlessCore.start(config, identity, Optional.ofNullable(dht).map(DhtPresence::node), log)
                    : BrokerCore.start(config, log);
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
            if (config.dht().isPresent() && s.dht == null) {
                s.dht = DhtPresence.start(config, identity, log);
            }
            if (config.portMapping()) {
                s.startPortMapping();
            }
            if (core instanceof ServerlessCore serverless && s.dht != null) {
                s.dht.track(serverless.dht().orElseThrow().published(), serverless::republish);
            } else if (s.dht != null) {
                s.publishPresence();
            }
        } catch (CliException | InterruptedException | RuntimeException e) {
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
                    core.externalEndpoint(external);
                    if (dht != null && !(core instanceof ServerlessCore)) {
                        republishFromMapper();
                    }
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

    /** On the mapper's thread, which must not block: the publish completes on the DHT loop. */
    private void republishFromMapper() {
        dht.publishLater(new PresenceMirror.Presence(List.of(core.jid()), core.linkEndpoints(), external,
                core.e2eKeys()));
    }

    private void publishPresence() throws InterruptedException {
        dht.publish(new PresenceMirror.Presence(List.of(core.jid()), core.linkEndpoints(), external, core.e2eKeys()));
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
                found.ifPresent(info -> out.add(PeerView.of(info, null)));
            }
        }
        return out;
    }

    /** Periodic upkeep on the command's thread: narrates link changes, republishes when the DHT gets a node. */
    void tick() throws InterruptedException {
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
