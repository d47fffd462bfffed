package org.xp2p.upnp;

/** Where a port mapping stands, from the point of view of a device deciding what to advertise. */
public enum MappingState {
    /** Mapped, and the gateway's external address is public: advertise the external endpoint. */
    REACHABLE,
    /**
     * Mapped, but the gateway's external address is private or carrier-grade NAT space: another
     * NAT lies beyond it, nobody outside can reach the endpoint. Do not advertise it.
     */
    NOT_PUBLIC,
    /** No gateway answered any enabled method within the discovery timeout. Retried in the background. */
    NO_GATEWAY,
    /** A gateway answered but refused or talked nonsense (see the problems). Retried in the background. */
    FAILED,
    /** Closed by the caller; the mapping was deleted (or could not be, see the problems). */
    CLOSED;

    public boolean mapped() {
        return this == REACHABLE || this == NOT_PUBLIC;
    }
}
