package org.xp2p.upnp;

/** A way of asking the Internet gateway for a port mapping. The default order is the declaration order. */
public enum MappingMethod {
    /** Port Control Protocol, RFC 6887 (MAP opcode), UDP port 5351 of the gateway. */
    PCP,
    /** NAT Port Mapping Protocol, RFC 6886, UDP port 5351 of the gateway. */
    NAT_PMP,
    /** UPnP Internet Gateway Device v1 or v2: SSDP discovery, then SOAP to WANIPConnection/WANPPPConnection. */
    UPNP_IGD
}
