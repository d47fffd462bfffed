package org.xp2p.upnp;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One port mapping the gateway granted: who granted it and how, the external endpoint it opened,
 * and until when. {@code lifetime} is what the gateway granted, which may differ from what was asked.
 *
 * @param gateway the address we spoke to (the PCP/NAT-PMP server or the UPnP control URL's host)
 */
public record Mapping(MappingMethod method, Protocol protocol, InetAddress internalAddress, int internalPort,
        InetAddress externalAddress, int externalPort, Duration lifetime, Instant expiresAt, InetAddress gateway) {

    public Mapping {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(internalAddress, "internalAddress");
        Objects.requireNonNull(externalAddress, "externalAddress");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(gateway, "gateway");
    }

    public AddressScope externalScope() {
        return AddressScope.of(externalAddress);
    }

    /** False when the gateway is itself behind another NAT: then nobody outside can use this endpoint. */
    public boolean publiclyReachable() {
        return externalScope().isPublic();
    }

    /** True when both describe the same external endpoint (what a peer would connect to). */
    public boolean sameEndpoint(Mapping other) {
        return other != null && externalAddress.equals(other.externalAddress) && externalPort == other.externalPort
                && protocol == other.protocol;
    }
}
