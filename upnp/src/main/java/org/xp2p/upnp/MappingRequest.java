package org.xp2p.upnp;

import java.time.Duration;
import java.util.Objects;

/**
 * What the caller wants mapped: one internal port of one protocol (map TCP and UDP with two
 * requests), the external port it would like (0 = any), the lease it asks for, and the description
 * that marks the mapping as ours on UPnP gateways (and seeds the PCP nonce), so that a restarted
 * device finds and reuses its earlier mapping.
 */
public record MappingRequest(Protocol protocol, int internalPort, int preferredExternalPort, Duration lifetime,
        String description) {
    /** NAT-PMP and PCP carry the lifetime in 32 bits; IGDv2 caps leases at a week, and so do we. */
    public static final long MAX_LIFETIME_SECONDS = 604_800;

    public MappingRequest {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(description, "description");
        if (internalPort < 1 || internalPort > 65535) {
            throw new IllegalArgumentException("internalPort must be 1..65535, was " + internalPort);
        }
        if (preferredExternalPort < 0 || preferredExternalPort > 65535) {
            throw new IllegalArgumentException("preferredExternalPort must be 0 (any) or 1..65535, was "
                    + preferredExternalPort);
        }
        if (lifetime.getSeconds() < 1 || lifetime.getSeconds() > MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("lifetime must be 1 s .. 7 days (a mapping without expiry is what "
                    + "this library exists to avoid), was " + lifetime);
        }
        if (description.isBlank() || description.length() > 64) {
            throw new IllegalArgumentException("description must be 1..64 characters (it identifies our mappings "
                    + "on the gateway), was '" + description + "'");
        }
    }

    public long lifetimeSeconds() {
        return lifetime.getSeconds();
    }
}
