package org.xp2p.upnp;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link PortMapper} finds and talks to the gateway. The local address is required: every
 * datagram (SSDP, PCP, NAT-PMP) leaves from it and its interface, never from "all interfaces".
 */
public record PortMapperSettings(InetAddress localAddress, NetworkInterface networkInterface,
        Optional<InetAddress> gatewayAddress, List<MappingMethod> methods, Duration discoveryTimeout,
        Duration requestTimeout, Duration checkInterval, Duration retryInterval) {

    public static final List<MappingMethod> DEFAULT_METHODS =
            List.of(MappingMethod.PCP, MappingMethod.NAT_PMP, MappingMethod.UPNP_IGD);
    public static final Duration DEFAULT_DISCOVERY_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(2);
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMinutes(1);

    public PortMapperSettings {
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(networkInterface, "networkInterface");
        Objects.requireNonNull(gatewayAddress, "gatewayAddress");
        methods = List.copyOf(methods);
        if (methods.isEmpty() || methods.stream().distinct().count() != methods.size()) {
            throw new IllegalArgumentException("methods must list each method at most once and at least one: " + methods);
        }
        positive(discoveryTimeout, "discoveryTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(checkInterval, "checkInterval");
        positive(retryInterval, "retryInterval");
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }

    /** Starts settings for the interface that carries {@code localAddress}. */
    public static Builder on(InetAddress localAddress) {
        return new Builder(localAddress);
    }

    /** Collects the optional settings; {@link #build()} checks them together. */
    public static final class Builder {
        private final InetAddress localAddress;
        private NetworkInterface networkInterface;
        private InetAddress gatewayAddress;
        private List<MappingMethod> methods = DEFAULT_METHODS;
        private Duration discoveryTimeout = DEFAULT_DISCOVERY_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
        private Duration retryInterval = DEFAULT_RETRY_INTERVAL;

        private Builder(InetAddress localAddress) {
            this.localAddress = Objects.requireNonNull(localAddress, "localAddress");
        }

        /** The interface for SSDP multicast; by default the one carrying the local address. */
        public Builder networkInterface(NetworkInterface nif) {
            this.networkInterface = nif;
            return this;
        }

        /** Where PCP and NAT-PMP requests go; by default the interface's IPv4 default gateway. */
        public Builder gatewayAddress(InetAddress gateway) {
            this.gatewayAddress = gateway;
            return this;
        }

        public Builder methods(MappingMethod... order) {
            this.methods = List.of(order);
            return this;
        }

        /** How long each method waits for a first answer before we call the gateway absent. */
        public Builder discoveryTimeout(Duration d) {
            this.discoveryTimeout = d;
            return this;
        }

        /** How long one UPnP HTTP request may take. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        /** How often we ask the gateway whether it still holds our mappings (restart detection). */
        public Builder checkInterval(Duration d) {
            this.checkInterval = d;
            return this;
        }

        /** How long we wait before trying again after a failure (no gateway, refusal, lost mapping). */
        public Builder retryInterval(Duration d) {
            this.retryInterval = d;
            return this;
        }

        public PortMapperSettings build() {
            NetworkInterface nif = networkInterface;
            if (nif == null) {
                try {
                    nif = NetworkInterface.getByInetAddress(localAddress);
                } catch (SocketException e) {
                    throw new IllegalArgumentException("cannot list interfaces: " + e.getMessage(), e);
                }
                if (nif == null) {
                    throw new IllegalArgumentException("no interface has address " + localAddress.getHostAddress()
                            + ": give a local address of this host (the one facing the gateway)");
                }
            }
            return new PortMapperSettings(localAddress, nif, Optional.ofNullable(gatewayAddress), methods,
                    discoveryTimeout, requestTimeout, checkInterval, retryInterval);
        }
    }
}
