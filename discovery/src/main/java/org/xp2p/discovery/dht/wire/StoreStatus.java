package org.xp2p.discovery.dht.wire;

import org.xp2p.discovery.dht.record.StoreOutcome;

/** The status codes of a store acknowledgement: a storage outcome, or why the store was not even tried. */
public final class StoreStatus {

    /** The write token was missing, expired, or issued to another address. */
    public static final int BAD_TOKEN = 0xF0;
    /** The record did not decode or its signature did not verify. */
    public static final int INVALID_RECORD = 0xF1;

    private StoreStatus() {
    }

    public static int of(StoreOutcome outcome) {
        return outcome.ordinal();
    }

    /** Whether the code says the node holds the record now. */
    public static boolean accepted(int status) {
        StoreOutcome[] all = StoreOutcome.values();
        return status < all.length && all[status].accepted();
    }

    public static String describe(int status) {
        StoreOutcome[] all = StoreOutcome.values();
        if (status < all.length) {
            return all[status].name();
        }
        return switch (status) {
            case BAD_TOKEN -> "BAD_TOKEN";
            case INVALID_RECORD -> "INVALID_RECORD";
            default -> "status " + status;
        };
    }
}
