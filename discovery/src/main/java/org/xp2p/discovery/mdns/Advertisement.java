package org.xp2p.discovery.mdns;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.jmdns.ServiceInfo;
import javax.jmdns.impl.ServiceInfoImpl;

/**
 * One instance we announce. {@link #update} re-announces the TXT record (status or message
 * changed); {@link #close()} sends the goodbye. Thread-safe; owned by whoever called
 * {@link MdnsPresence#advertise}.
 */
public final class Advertisement implements AutoCloseable {
    private final MdnsPresence owner;
    private final ServiceInfo info;
    private volatile LinkLocalPresence presence;

    Advertisement(MdnsPresence owner, ServiceInfo info, LinkLocalPresence presence) {
        this.owner = owner;
        this.info = info;
        this.presence = presence;
    }

    /**
     * The instance name actually announced: jmDNS may still rename it (the XEP way) if a
     * conflict shows up while it probes, so this reads the live name.
     */
    public String instance() {
        return info.getName();
    }

    /**
     * Waits until jmDNS has stopped probing for our name and returns the name that won.
     * {@link MdnsPresence#advertise} returns while the probes are still out (about a second),
     * so a conflict answered by another responder renames the instance after it returned;
     * call this when the final name matters. A conflict seen later still renames it.
     */
    public String awaitClaimed(Duration timeout) throws InterruptedException, TimeoutException {
        if (!(info instanceof ServiceInfoImpl impl)) {
            return instance();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (impl.isProbing()) {
            if (impl.isCanceling() || impl.isCanceled() || impl.isClosing() || impl.isClosed()) {
                throw new IllegalStateException("advertisement of " + instance() + " was withdrawn while probing");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("jmDNS still probing for " + instance() + " after " + timeout);
            }
            Thread.sleep(20);
        }
        return instance();
    }

    int port() {
        return info.getPort();
    }

    public LinkLocalPresence presence() {
        return presence.withInstance(info.getName());
    }

    /** Announces a changed TXT record; the instance name and port stay as they are. */
    public synchronized void update(LinkLocalPresence changed) {
        if (changed.port() != presence.port()) {
            throw new IllegalArgumentException("the port cannot change on a live advertisement (" + presence.port()
                    + " -> " + changed.port() + "); close it and advertise again");
        }
        LinkLocalPresence renamed = changed.withInstance(info.getName());
        owner.update(info, renamed);
        presence = renamed;
    }

    @Override
    public void close() {
        owner.withdraw(this, info);
    }
}
