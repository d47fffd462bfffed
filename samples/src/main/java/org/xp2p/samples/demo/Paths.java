package org.xp2p.samples.demo;

import org.xp2p.xmpp.DeliveryPath;

/** The console's names for the three paths. */
final class Paths {
    private Paths() {
    }

    static String name(DeliveryPath path) {
        return switch (path) {
            case LINK_LOCAL -> "link-local";
            case DIRECT_LINK -> "direct";
            case BROKER -> "broker";
        };
    }
}
