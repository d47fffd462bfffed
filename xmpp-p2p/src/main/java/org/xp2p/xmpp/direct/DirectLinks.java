package org.xp2p.xmpp.direct;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jivesoftware.smack.packet.Stanza;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.xmpp.link.Link;
import org.xp2p.xmpp.link.LinkConnector;
import org.xp2p.xmpp.link.LinkServer;

/**
 * The direct links of one device: XEP-0174 streams whose headers carry full JIDs, accepted
 * on our local address (and on our external one when it is ours), authenticated by
 * {@link DirectLinkAuthenticator}, and opened on demand to the endpoint
 * {@link AddressChoice} picks, from the address the peer expects. One routing link per
 * peer, reused while open; links idle longer than the configured time are closed.
 *
 * <p>Threads: each link owns its reader and writer; the servers own their accept
 * threads; the idle check runs on the owner's timer executor. {@link #open} blocks for
 * the connect and handshake: call it off event threads. {@link #close()} stops all.
 */
public final class DirectLinks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectLinks.class);

    /** Link events, on the link's reader thread (closed: on the closing thread). */
    public interface Events {
        void stanza(Link link, Stanza stanza);

        void closed(Link link, String reason);
    }

    private final DirectLinkConfig config;
    private final String ourJid;
    private final Events events;
    private final Link.Counters counters = new Link.Counters();
    private final Map<String, Link> routing = new ConcurrentHashMap<>();
    private final Map<Link, Long> lastActivityNanos = new ConcurrentHashMap<>();
    private final List<LinkServer> servers = new ArrayList<>();
    private final LinkConnector fromLocal;
    private final LinkConnector fromExternal;
    private final ScheduledFuture<?> idleCheck;
    private volatile boolean closed;

    private DirectLinks(DirectLinkConfig config, String ourJid, DirectLinkAuthenticator authenticator,
            ScheduledExecutorService timers, Events events) throws IOException {
        this.config = config;
        this.ourJid = ourJid;
        this.events = events;
        Link.Listener listener = new Listener();
        LinkServer local = LinkServer.start(config.link(), ourJid, authenticator, timers, listener, counters, this::touch);
        servers.add(local);
        fromLocal = new LinkConnector(config.link(), ourJid, timers, listener, counters);
        if (config.ownExternal().isPresent() && !config.ownExternal().get().equals(config.link().bindAddress())) {
            var ext = config.link().withPort(local.port());
            ext = new org.xp2p.xmpp.link.LinkConfig(config.ownExternal().get(), local.port(), ext.maxStanzaBytes(),
                    ext.keepAlive(), ext.idleTimeout(), ext.closeTimeout(), ext.connectTimeout());
            servers.add(LinkServer.start(ext, ourJid, authenticator, timers, listener, counters, this::touch));
            fromExternal = new LinkConnector(ext, ourJid, timers, listener, counters);
        } else {
            fromExternal = fromLocal;
        }
        long period = Math.max(200, Math.min(1000, config.idleClose().toMillis() / 4));
        idleCheck = timers.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    public static DirectLinks start(DirectLinkConfig config, String ourJid, DirectLinkAuthenticator authenticator,
            ScheduledExecutorService timers, Events events) throws IOException {
        return new DirectLinks(config, ourJid, authenticator, timers, events);
    }

    /** The port we listen on (locally, and externally when that address is ours). */
    public int port() {
        return servers.get(0).port();
    }

    public InetAddress localAddress() {
        return config.link().bindAddress();
    }

    /** The open link that stanzas to {@code peer} take, if any. */
    public Optional<Link> link(String peer) {
        Link l = routing.get(peer);
        return l != null && l.isOpen() ? Optional.of(l) : Optional.empty();
    }

    /**
     * Whether a link to {@code peer} is closing but not yet shut: a new link must wait for
     * it, or stanzas on the new one could overtake those still being read from the old one.
     */
    public boolean closing(String peer) {
        for (Link l : lastActivityNanos.keySet()) {
            if (peer.equals(l.peer()) && !l.isOpen()) {
                return true;
            }
        }
        return false;
    }

    public Map<String, Link> links() {
        return Map.copyOf(routing);
    }

    public Link.Counters counters() {
        return counters;
    }

    /**
     * Opens a link to {@code peer} at {@code choice}, leaving from the address the peer
     * will check, and waits for the handshake. Blocks up to the handshake timeout.
     */
    public Link open(String peer, AddressChoice choice) throws IOException {
        if (closed) {
            throw new IOException("direct links are closed");
        }
        LinkConnector connector = choice.kind() == AddressChoice.Kind.EXTERNAL ? fromExternal : fromLocal;
        Link link = connector.open(choice.target(), peer);
        try {
            link.opened().get(config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("link to " + peer + " at " + choice.target() + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            link.close("handshake timed out");
            throw new IOException("link to " + peer + " at " + choice.target() + ": no stream header within "
                    + config.handshakeTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            link.close("interrupted");
            throw new IOException("interrupted while opening a link to " + peer);
        }
        // The handshake future completes on the reader thread just before the opened()
        // callback registers the link: register it here too, so the next stanza finds it.
        touch(link);
        register(link);
        return link;
    }

    /** Marks stanza traffic on {@code link}, which keeps it from being closed as idle. */
    public void touch(Link link) {
        lastActivityNanos.put(link, System.nanoTime());
        if (link.isClosed()) {
            // Closed meanwhile, on another thread (an abort, a reset): its closed event may
            // already have removed it, and a dead entry would read as "still closing" forever.
            lastActivityNanos.remove(link);
        }
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (Map.Entry<Link, Long> e : lastActivityNanos.entrySet()) {
            if (now - e.getValue() > config.idleClose().toNanos()) {
                e.getKey().close("idle for " + config.idleClose().toSeconds() + " s");
            }
        }
    }

    private void register(Link link) {
        routing.compute(link.peer(), (peer, existing) -> existing != null && existing.isOpen() ? existing : link);
    }

    private final class Listener implements Link.Listener {
        @Override
        public void opened(Link link) {
            touch(link);
            register(link);
            LOG.info("{}: direct link {} {} at {}", ourJid, link.direction() == Link.Direction.INBOUND ? "from" : "to",
                    link.peer(), link.remoteAddress());
            if (closed) {
                link.close("shutting down");
            }
        }

        @Override
        public void stanza(Link link, Stanza stanza) {
            touch(link);
            events.stanza(link, stanza);
        }

        @Override
        public void closed(Link link, String reason) {
            lastActivityNanos.remove(link);
            if (link.peer() != null) {
                routing.remove(link.peer(), link);
            }
            events.closed(link, reason);
        }
    }

    @Override
    public void close() {
        closed = true;
        idleCheck.cancel(false);
        for (LinkServer s : servers) {
            s.close();
        }
        for (Link l : List.copyOf(lastActivityNanos.keySet())) {
            l.close("shutting down");
        }
        for (Link l : List.copyOf(routing.values())) {
            l.close("shutting down");
        }
    }

    InetSocketAddress localEndpoint() {
        return new InetSocketAddress(localAddress(), port());
    }
}
