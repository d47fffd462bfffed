package org.xp2p.xmpp.link;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Opens outbound links. Every connection leaves from the configured address (one we
 * advertise), so that the peer's source-address check accepts us. Stateless; {@link #open}
 * blocks for the TCP connect, so call it off any event thread.
 */
public final class LinkConnector {
    private final LinkConfig config;
    private final java.util.function.Supplier<String> localInstance;
    private final ScheduledExecutorService timers;
    private final Link.Listener listener;
    private final Link.Counters counters;

    public LinkConnector(LinkConfig config, String localInstance, ScheduledExecutorService timers,
            Link.Listener listener, Link.Counters counters) {
        this(config, () -> localInstance, timers, listener, counters);
    }

    /** As above, with our instance name read for each link (mDNS may rename us after start). */
    public LinkConnector(LinkConfig config, java.util.function.Supplier<String> localInstance,
            ScheduledExecutorService timers, Link.Listener listener, Link.Counters counters) {
        this.config = config;
        this.localInstance = localInstance;
        this.timers = timers;
        this.listener = listener;
        this.counters = counters;
    }

    /** Connects to {@code target} and starts the stream to instance {@code peer}. */
    public Link open(InetSocketAddress target, String peer) throws IOException {
        if (target.getAddress() != null
                && target.getAddress().getClass() != config.bindAddress().getClass()) {
            throw new IOException("cannot reach " + target + " from " + config.bindAddress().getHostAddress()
                    + ": different address families");
        }
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(config.bindAddress(), 0));
            socket.connect(target, (int) config.connectTimeout().toMillis());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return Link.outbound(socket, config, localInstance.get(), peer, timers, listener, counters);
    }
}
