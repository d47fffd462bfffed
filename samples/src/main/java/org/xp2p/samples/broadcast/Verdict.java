package org.xp2p.samples.broadcast;

/** What a receiver made of one broadcast copy. Only {@link #ACCEPTED} is posted and relayed. */
public enum Verdict {
    /** New, fresh and signed by its origin's pinned key. */
    ACCEPTED,
    /** Already seen: another relay's copy, or a replay of one we took. */
    DUPLICATE,
    /** Its time is outside the freshness window: an old broadcast replayed after we forgot it. */
    STALE,
    /** The signature is not the origin's over this content. */
    FORGED,
    /** From an origin whose key we do not know. */
    UNKNOWN_ORIGIN,
    /** The payload does not validate against broadcast.xsd. */
    MALFORMED
}
