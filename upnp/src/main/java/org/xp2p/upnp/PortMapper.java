package org.xp2p.upnp;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Keeps port mappings on the Internet gateway for one local address: maps with the first method
 * that works (PCP, NAT-PMP, UPnP IGD by default), renews before expiry, restores what a restarted
 * gateway forgot, tells listeners when an external endpoint changes, and deletes everything on
 * {@link #close()}.
 *
 * <p>Threads: it owns none. Renewals and checks run on the caller's scheduler (which the caller
 * owns and shuts down) and do blocking network I/O there, bounded by the configured timeouts.
 * {@link #map} and {@link #close} block the calling thread in the same way. Sockets live only for
 * the duration of one exchange.
 */
public final class PortMapper implements AutoCloseable {
    private final PortMapperSettings settings;
    private final ScheduledExecutorService scheduler;
    private final List<MappingListener> listeners = new CopyOnWriteArrayList<>();
    private final List<PortMapping> mappings = new CopyOnWriteArrayList<>();
    private final Map<MappingMethod, GatewayClient> clients = new EnumMap<>(MappingMethod.class);
    /** UDP port of PCP/NAT-PMP servers: 5351, other only in tests against a server on loopback. */
    private final int serverPort;
    private boolean closed;

    public PortMapper(PortMapperSettings settings, ScheduledExecutorService scheduler) {
        this(settings, scheduler, GatewayDatagrams.SERVER_PORT);
    }

    PortMapper(PortMapperSettings settings, ScheduledExecutorService scheduler, int serverPort) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.serverPort = serverPort;
    }

    public PortMapperSettings settings() {
        return settings;
    }

    /** Listeners hear of every mapping's changes, from the first result of {@link #map} on. */
    public void addListener(MappingListener listener) {
        listeners.add(listener);
    }

    public void removeListener(MappingListener listener) {
        listeners.remove(listener);
    }

    /**
     * Maps the port, blocking until a method succeeds or all have failed (at most about one
     * discovery timeout per method). The returned mapping is kept alive from then on; when nothing
     * worked, its status says why and it tries again every retry interval.
     */
    public PortMapping map(MappingRequest request) {
        PortMapping mapping;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("this PortMapper is closed; create a new one to map again");
            }
            mapping = new PortMapping(this, request, scheduler);
            mappings.add(mapping);
        }
        mapping.start();
        return mapping;
    }

    public List<PortMapping> mappings() {
        return List.copyOf(mappings);
    }

    /** Deletes every mapping on the gateway (by its external port for UPnP) and stops renewing. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (PortMapping m : new ArrayList<>(mappings)) {
            m.close();
        }
    }

    void forget(PortMapping mapping) {
        mappings.remove(mapping);
    }

    void fire(PortMapping mapping, MappingStatus previous, MappingStatus current) {
        for (MappingListener l : listeners) {
            try {
                l.changed(mapping, previous, current);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(PortMapper.class).warn("mapping listener failed", e);
            }
        }
    }

    /** The client for a method; PCP and NAT-PMP need a gateway address, found anew until one is known. */
    synchronized GatewayClient client(MappingMethod method) throws NoGatewayException {
        GatewayClient c = clients.get(method);
        if (c != null) {
            return c;
        }
        c = switch (method) {
            case PCP -> new PcpClient(settings.localAddress(), gateway(), serverPort, settings.discoveryTimeout());
            case NAT_PMP -> new NatPmpClient(settings.localAddress(), gateway(), serverPort,
                    settings.discoveryTimeout());
            case UPNP_IGD -> new UpnpIgdClient(settings.localAddress(), settings.networkInterface(),
                    settings.discoveryTimeout(), settings.requestTimeout());
        };
        clients.put(method, c);
        return c;
    }

    private InetAddress gateway() throws NoGatewayException {
        if (settings.gatewayAddress().isPresent()) {
            return settings.gatewayAddress().get();
        }
        String nif = settings.networkInterface().getName();
        return DefaultGateway.of(nif).orElseThrow(() -> new NoGatewayException(
                "no IPv4 default gateway on " + nif + " to send PCP/NAT-PMP to (set gatewayAddress)"));
    }
}
