package org.xp2p.discovery.dht;

/**
 * Whether a node serves others (enters their routing tables and answers their queries) or
 * acts as a client only (queries and publishes, never advertised). Nodes behind a NAT or a
 * firewall that drops unsolicited datagrams cannot be reached, so a node should serve only
 * once it knows it can be: {@link #AUTO} finds out by asking peers to dial it back.
 */
public enum Reachability {
    /**
     * Starts as a client only, asks a few peers in distinct subnets to send it a datagram from
     * a port it never sent to, and serves once enough of those arrive; re-checks periodically
     * and when the address others see changes.
     */
    AUTO,
    /** Always serves: the operator knows the node is reachable (a public seed, a LAN). */
    SERVER,
    /** Never serves: it neither answers queries nor enters routing tables. */
    CLIENT
}
