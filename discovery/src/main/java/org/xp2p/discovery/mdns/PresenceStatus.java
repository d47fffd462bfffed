package org.xp2p.discovery.mdns;

import java.util.Locale;
import java.util.Optional;

/** The XEP-0174 {@code status} TXT value. */
public enum PresenceStatus {
    AVAIL, AWAY, DND;

    /** The value as written in the TXT record. */
    public String txtValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a TXT value; unknown values (some clients write "xa", "offline") are absent. */
    public static Optional<PresenceStatus> fromTxt(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (PresenceStatus s : values()) {
            if (s.txtValue().equalsIgnoreCase(value.trim())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
