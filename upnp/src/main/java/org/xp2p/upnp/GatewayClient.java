package org.xp2p.upnp;

/**
 * One protocol's way of talking to the gateway (PCP, NAT-PMP, UPnP IGD). Implementations do
 * blocking I/O bounded by their timeouts on the calling thread, and are safe to call from several
 * threads (they serialise their exchanges).
 */
interface GatewayClient {
    /** "The gateway gave no epoch": UPnP has none. */
    long NO_EPOCH = -1;

    MappingMethod method();

    /**
     * Creates the mapping, or refreshes it when it exists already (a renewal is the same request).
     *
     * @param currentExternalPort 0 to create (then our earlier mapping, else the preferred port, is
     *     asked for); otherwise the external port we hold and want to keep
     */
    Grant map(MappingRequest request, int currentExternalPort) throws GatewayException;

    /** The port to suggest to a gateway that picks ports itself (PCP, NAT-PMP). */
    static int suggestion(MappingRequest request, int currentExternalPort) {
        if (currentExternalPort != 0) {
            return currentExternalPort;
        }
        return request.preferredExternalPort() != 0 ? request.preferredExternalPort() : request.internalPort();
    }

    /** Asks cheaply whether the gateway still holds {@code mapping} (restart, forgotten, address changed). */
    Check check(Mapping mapping) throws GatewayException;

    /** Deletes the mapping made for {@code request} (UPnP: by its external port; PCP: with its nonce). */
    void unmap(MappingRequest request, Mapping mapping) throws GatewayException;

    /** A granted mapping and the server's epoch at the time (or {@link #NO_EPOCH}). */
    record Grant(Mapping mapping, long epochSeconds) {
    }

    /**
     * The answer to {@link #check}: {@code present} false when the gateway plainly no longer holds
     * the mapping as granted; the epoch lets the caller notice a restart the gateway does not admit.
     */
    record Check(boolean present, long epochSeconds, String detail) {
    }
}
