package org.xp2p.xmpp.link;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts link-local streams on the configured address and port and turns each
 * connection into an inbound {@link Link} whose header the authenticator checks.
 *
 * <p>Threads: one accept thread, owned by this server and ended by {@link #close()};
 * each accepted link owns its own threads (see {@link Link}). Closing the server does not
 * close links already accepted: their owner closes them.
 */
public final class LinkServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkServer.class);

    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private volatile boolean closed;

    private LinkServer(ServerSocket serverSocket, Thread acceptor) {
        this.serverSocket = serverSocket;
        this.acceptor = acceptor;
    }

    /**
     * Listens on {@code config.bindAddress():config.port()}.
     *
     * @param onAccepted receives each new link (on the accept thread; must not block)
     */
    public static LinkServer start(LinkConfig config, String localInstance, InboundAuthenticator authenticator,
            ScheduledExecutorService timers, Link.Listener listener, Link.Counters counters,
            java.util.function.Consumer<Link> onAccepted) throws IOException {
        return start(config, () -> localInstance, authenticator, timers, listener, counters, onAccepted);
    }

    /**
     * As above, with our instance name read for each accepted connection: it may change
     * after start when mDNS renames us on a conflict.
     */
    public static LinkServer start(LinkConfig config, java.util.function.Supplier<String> localInstance,
            InboundAuthenticator authenticator, ScheduledExecutorService timers, Link.Listener listener,
            Link.Counters counters, java.util.function.Consumer<Link> onAccepted) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(config.bindAddress(), config.port()), 64);
        LinkServer[] self = new LinkServer[1];
        Thread t = new Thread(() -> self[0].acceptLoop(config, localInstance, authenticator, timers, listener, counters,
                onAccepted), "xp2p-link-accept-" + ss.getLocalPort());
        t.setDaemon(true);
        self[0] = new LinkServer(ss, t);
        t.start();
        LOG.info("Link-local stream server on {}", ss.getLocalSocketAddress());
        return self[0];
    }

    /** The bound port (the SRV port to advertise). */
    public int port() {
        return serverSocket.getLocalPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    private void acceptLoop(LinkConfig config, java.util.function.Supplier<String> localInstance,
            InboundAuthenticator authenticator,
            ScheduledExecutorService timers, Link.Listener listener, Link.Counters counters,
            java.util.function.Consumer<Link> onAccepted) {
        while (!closed) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (SocketException e) {
                if (!closed) {
                    LOG.warn("Link server stopped accepting: {}", e.toString());
                }
                return;
            } catch (IOException e) {
                LOG.warn("Accept failed: {}", e.toString());
                continue;
            }
            try {
                onAccepted.accept(Link.inbound(s, config, localInstance.get(), authenticator, timers, listener, counters));
            } catch (RuntimeException e) {
                LOG.error("Cannot start an inbound link from {}", s.getRemoteSocketAddress(), e);
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("closing server socket: {}", e.toString());
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
