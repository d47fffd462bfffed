package org.xp2p.upnp;

/**
 * Told when a mapping's state or external endpoint changes (not on plain renewals), so that the
 * device can re-publish where it can be reached. Called on the thread that made the change: the
 * caller of {@link PortMapper#map} or {@link PortMapping#close}, or the scheduler's thread for
 * renewals and restorations. Must not block.
 */
@FunctionalInterface
public interface MappingListener {
    void changed(PortMapping mapping, MappingStatus previous, MappingStatus current);
}
