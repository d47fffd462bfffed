package org.xp2p.samples.demo;

import java.util.Locale;

/** Who takes part in the demo and what each may see. */
enum Party {
    TOYOTA(Role.CAR), FORD(Role.CAR), OWNER(Role.OWNER), SECURITY(Role.SECURITY), MONITOR(Role.MONITOR);

    enum Role {
        /** Drives, publishes public traffic samples, sends events to the authorised parties. */
        CAR,
        /** Owns both cars; on the cars' LAN. */
        OWNER,
        /** Watches the cars for the owner from elsewhere. */
        SECURITY,
        /** Reads the public traffic records; authorised for nothing else. */
        MONITOR
    }

    final Role role;

    Party(Role role) {
        this.role = role;
    }

    /** The party's user name on the wire: the local part of its instance name or JID. */
    String user() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the party is on the cars' LAN (mDNS reaches it); the security company is elsewhere. */
    boolean onLan() {
        return role != Role.SECURITY;
    }

    /** Who a car's events go to. */
    boolean authorisedForEvents() {
        return role == Role.OWNER || role == Role.SECURITY;
    }

    static Party ofUser(String user) {
        return valueOf(user.toUpperCase(Locale.ROOT));
    }
}
