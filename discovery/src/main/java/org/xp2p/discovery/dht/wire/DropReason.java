package org.xp2p.discovery.dht.wire;

/**
 * Why a node dropped an incoming datagram. Each reason has its own counter in the node's
 * stats, so an operator can tell a flood of garbage from a peer on an older version.
 */
public enum DropReason {
    /** Longer than the 1232-byte datagram limit. */
    OVERSIZE,
    /** Ends before a field it announced. */
    TRUNCATED,
    /** Does not start with the protocol magic: not ours at all. */
    GARBAGE,
    /** Our magic, another protocol version. */
    WRONG_VERSION,
    /** A field holds a value the protocol does not allow (unknown type, bad length, trailing bytes). */
    MALFORMED,
    /** The sender's ID puzzle does not hold. */
    BAD_PUZZLE,
    /** A signature (challenge answer or record) does not verify. */
    BAD_SIGNATURE,
    /** Private network: the network MAC is missing or wrong. */
    BAD_MAC,
    /** Private network: the sender's identity key is not on the allow-list. */
    NOT_ALLOWED,
    /** The sender's address exceeded its request rate. */
    RATE_LIMITED,
    /** A reply nobody asked for (unknown transaction, or from another address than asked). */
    UNSOLICITED,
    /** A datagram from ourselves (our own key), as when a bootstrap list names our own address. */
    FROM_SELF
}
