package org.xp2p.discovery.dht.record;

/** What a node did with a record offered for storage (BEP-44-style rules). */
public enum StoreOutcome {
    /** A key it held nothing under. */
    STORED(true),
    /** A higher seq replaced the stored record. */
    REPLACED(true),
    /** Equal seq and equal bytes: the stored record's storage time was renewed. */
    REFRESHED(true),
    /** A seq lower than the stored one: a rollback, refused. */
    REJECTED_OLDER_SEQ(false),
    /** Equal seq but other bytes: a conflicting statement, refused (first one stays). */
    REJECTED_SEQ_CONFLICT(false),
    /**
     * Offered under a key that is not the record's own: SHA-256("presence" || identity key ||
     * salt) for presence, SHA-256("data" || identity key || topic) for public data.
     */
    REJECTED_KEY_MISMATCH(false),
    /** Already expired (beyond the clock-skew allowance). */
    REJECTED_EXPIRED(false),
    /** Issued in the future (beyond the clock-skew allowance). */
    REJECTED_FROM_FUTURE(false),
    /** Validity window longer than the node's lifetime cap. */
    REJECTED_LIFETIME(false),
    /** Private network: the record's identity key is not on the allow-list. */
    REJECTED_NOT_ALLOWED(false),
    /** The node holds as many records as it accepts. */
    REJECTED_FULL(false);

    private final boolean accepted;

    StoreOutcome(boolean accepted) {
        this.accepted = accepted;
    }

    public boolean accepted() {
        return accepted;
    }
}
