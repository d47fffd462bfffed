package org.xp2p.samples.firmware;

import java.util.Objects;

/**
 * What a device made of one pushed update: installed, or refused with a reason and the
 * device's explanation.
 */
public record UpdateResult(boolean installed, Refusal refusal, String detail) {
    public UpdateResult {
        Objects.requireNonNull(detail, "detail");
        if (installed == (refusal != null)) {
            throw new IllegalArgumentException("an update is either installed or refused with a reason");
        }
    }

    static UpdateResult installed(String detail) {
        return new UpdateResult(true, null, detail);
    }

    static UpdateResult refused(Refusal why, String detail) {
        return new UpdateResult(false, Objects.requireNonNull(why, "why"), detail);
    }

    @Override
    public String toString() {
        return installed ? "installed: " + detail : "refused, " + refusal + ": " + detail;
    }
}
