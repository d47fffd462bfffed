/**
 * The Kademlia DHT that mirrors device presence (see shared/spec/dht.md).
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>{@link org.xp2p.discovery.dht.DhtNode}: one node (routing table, record store, RPCs,
 *     lookups, maintenance). {@link org.xp2p.discovery.dht.PresenceMirror} publishes a
 *     device's own record and turns others' records into {@code PeerInfo}.
 *     {@link org.xp2p.discovery.dht.PublicRecords} publishes and reads public items
 *     (owner key + topic -> payload; anyone reads, only the owner writes).
 * <li>{@link org.xp2p.discovery.dht.record}: the two signed record kinds (presence and
 *     public data; one format octet and one signature domain each), their canonical
 *     encoding and the storage rules every node enforces on both.
 * <li>{@link org.xp2p.discovery.dht.wire}: the datagram format (at most 1232 octets).
 * <li>{@link org.xp2p.discovery.dht.net}: the transport and event-loop interfaces, with the
 *     real UDP socket and executor; {@link org.xp2p.discovery.dht.sim} runs the same node
 *     logic on a simulated network in virtual time.
 * </ul>
 *
 * <h2>Identity and admission</h2>
 * A node's ID is SHA-256 of its Ed25519 identity key (the e2e module's long-term key, passed
 * in as Bouncy Castle parameters); every datagram names the key and a nonce solving a
 * 16-bit puzzle over it. A contact enters a routing table only after signing a fresh nonce
 * sent to its address (PING/PONG); full buckets keep their long-lived contacts; at most 2
 * contacts per /24 (/48) per bucket and 10 per table. Private networks admit only
 * allow-listed keys and/or datagrams MACed under a network key.
 *
 * <h2>Reachability</h2>
 * Nodes that cannot be reached act as clients only: their datagrams carry the client-only
 * flag, so no table takes them, while they still query and publish. A node is SERVER, CLIENT
 * or (the default) AUTO ({@link org.xp2p.discovery.dht.Reachability}). An AUTO node starts
 * as a client and asks up to three verified peers in distinct subnets for a DIAL_BACK: each
 * answers with a 16-octet-nonce probe sent from another port to the request's source address
 * (there is no target field), within per-host and total rate limits, and the padded request
 * outweighs reply plus probe, so the exchange amplifies nothing. Two probes from distinct
 * subnets (all, when fewer were asked) that come from addresses the node never sent to make
 * it serve; it then announces itself to the peers it knows. It checks again periodically and
 * when the address peers echo back changes; a node found unreachable again drops back to
 * client, and peers drop it from their tables at its next reply. Until a node serves it still
 * answers direct requests, so the first nodes of a network can be seeds and helpers.
 *
 * <h2>Lookups</h2>
 * Iterative, alpha = 3, over 3 disjoint paths (a node found by one path is never queried by
 * another); a path whose replies stop bringing closer nodes queries the rest of its k
 * closest at once. Value lookups let each path converge on its own k closest and keep the
 * highest valid seq, then write it back to nodes that answered with older ones. Node lookups
 * (publish) settle on the k closest over all paths; a publish stores at those nodes as they
 * are found, with the write token each gave (bound to our address). RPC timeouts are about
 * twice the smoothed RTT of the peer (Jacobson/Karels), between 50 ms and 2 s.
 *
 * <h2>Threads</h2>
 * A UDP node owns three things: its socket, one reader thread and one event-loop thread;
 * all node state is touched only on the loop; {@code close()} stops and joins both threads.
 * Simulated nodes share the simulator's single loop.
 *
 * <h2>IPv4 and IPv6</h2>
 * A node serves one address family (that of its socket) and keeps one table for it; a
 * dual-stack device runs one node per family, which keeps the tables separate.
 */
package org.xp2p.discovery.dht;
