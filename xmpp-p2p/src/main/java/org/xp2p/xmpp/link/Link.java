package org.xp2p.xmpp.link;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.schemas.smack.FlatXml;

/**
 * One XEP-0174 stream over one TCP connection, in either direction: the header exchange
 * ({@code <stream:features/>} for version-1.0 initiators, none for libpurple-style peers),
 * then {@code <message/>} and {@code <iq/>} both ways, whitespace keep-alives, idle close,
 * stream errors, and the closing handshake (whoever sent {@code </stream:stream>} first
 * closes TCP).
 *
 * <p>Threads: each link owns exactly two threads. Its reader thread reads the socket's
 * bytes through a {@link StreamFramer}, parses stanzas and calls the {@link Listener};
 * listeners must hand real work to their own executor. Its writer thread drains the
 * link's ordered queue, so {@link #send} never blocks and stanzas leave in the order they
 * were sent. Keep-alive and idle checks run on the timer executor the owner passes in.
 * Both threads end when the link closes; {@link #close()} is safe from any thread.
 */
public final class Link implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Link.class);
    private static final String STREAM_END = "</stream:stream>";
    private static final byte[] KEEP_ALIVE = {' '};

    /** Who opened the TCP connection. */
    public enum Direction { INBOUND, OUTBOUND }

    /** Link events, called on the link's reader thread (closed: on whichever thread closed it). */
    public interface Listener {
        void opened(Link link);

        void stanza(Link link, Stanza stanza);

        void closed(Link link, String reason);
    }

    /** Counters shared by all links of one owner. Thread-safe. */
    public static final class Counters {
        public final AtomicLong stanzasIn = new AtomicLong();
        public final AtomicLong stanzasOut = new AtomicLong();
        public final AtomicLong stanzasDropped = new AtomicLong();
        public final AtomicLong streamErrorsSent = new AtomicLong();
    }

    private record Out(byte[] bytes, CompletableFuture<Void> done, boolean closeAfter, boolean stanza) {
    }

    private static final Out POISON = new Out(new byte[0], null, false, false);
    /** Tells the writer to flush and wait while the reader switches the socket to TLS. */
    private static final Out PAUSE = new Out(new byte[0], null, false, false);
    private static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";

    private enum Upgrade { NONE, AS_SERVER, AS_CLIENT }

    private final Socket socket;
    private final Direction direction;
    private final LinkConfig config;
    private final String localInstance;
    private final InboundAuthenticator authenticator;
    private final ScheduledExecutorService timers;
    private final Listener listener;
    private final Counters counters;
    private final LinkedBlockingQueue<Out> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Link> opened = new CompletableFuture<>();
    private final AtomicBoolean socketClosed = new AtomicBoolean();
    private final Thread reader;
    private final Thread writer;

    private volatile String peer;
    private volatile Jid peerJid;
    private volatile StanzaDecoder decoder;
    private volatile boolean headerSent;
    private volatile boolean endSent;
    private volatile boolean endReceived;
    private volatile boolean failing;
    private volatile String closeReason;
    /** When the reader last got bytes, or last went back to the socket after handing them on. */
    private volatile long lastReadNanos = System.nanoTime();
    /**
     * The reader is handing what it read to the listener, which may hold it there (our own
     * back-pressure, while the application is slow): silence from the peer meanwhile is ours.
     */
    private volatile boolean handingOn;
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile ScheduledFuture<?> ticker;
    private volatile java.io.InputStream in;
    private volatile OutputStream out;
    private volatile boolean tlsActive;
    private volatile boolean upgrading;
    private volatile Upgrade upgrade = Upgrade.NONE;
    private volatile java.util.concurrent.CountDownLatch writerPaused;
    private volatile java.util.concurrent.CountDownLatch writerResume;

    private Link(Socket socket, Direction direction, LinkConfig config, String localInstance, String peer,
            InboundAuthenticator authenticator, ScheduledExecutorService timers, Listener listener, Counters counters) {
        this.socket = socket;
        this.direction = direction;
        this.config = config;
        this.localInstance = Objects.requireNonNull(localInstance, "localInstance");
        this.peer = peer;
        this.peerJid = jid(peer);
        this.authenticator = authenticator;
        this.timers = timers;
        this.listener = listener;
        this.counters = counters;
        String name = direction == Direction.INBOUND ? "in-" + socket.getInetAddress().getHostAddress() : "out-" + peer;
        this.reader = new Thread(this::readLoop, "xp2p-link-reader-" + name);
        this.writer = new Thread(this::writeLoop, "xp2p-link-writer-" + name);
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    /** A link we opened to {@code peer}; starts its threads and sends our header. */
    public static Link outbound(Socket socket, LinkConfig config, String localInstance, String peer,
            ScheduledExecutorService timers, Listener listener, Counters counters) {
        Link link = new Link(socket, Direction.OUTBOUND, config, localInstance, Objects.requireNonNull(peer, "peer"),
                null, timers, listener, counters);
        link.start();
        link.sendHeader(StreamHeader.ours(localInstance, peer, "1.0", null));
        return link;
    }

    /** A link a peer opened to us; its header is checked by {@code authenticator}. */
    public static Link inbound(Socket socket, LinkConfig config, String localInstance, InboundAuthenticator authenticator,
            ScheduledExecutorService timers, Listener listener, Counters counters) {
        Link link = new Link(socket, Direction.INBOUND, config, localInstance, null,
                Objects.requireNonNull(authenticator, "authenticator"), timers, listener, counters);
        link.start();
        return link;
    }

    private void start() {
        try {
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            LOG.debug("TCP_NODELAY: {}", e.toString());
        }
        writer.start();
        reader.start();
        long periodMillis = Math.max(50, Math.min(config.keepAlive().toMillis(), config.idleTimeout().toMillis()) / 2);
        ticker = timers.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Completes when both headers (and features, if any) are exchanged; fails if the link closes first. */
    public CompletableFuture<Link> opened() {
        return opened;
    }

    /** The peer's instance name: the one we connected to, or the authenticated claim; null before that. */
    public String peer() {
        return peer;
    }

    public Direction direction() {
        return direction;
    }

    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** True once STARTTLS completed on this link. */
    public boolean isTlsActive() {
        return tlsActive;
    }

    /**
     * Whether the peer has been heard from (any byte, whitespace keep-alives included) within
     * {@code period}, or we are the ones not listening: the reader is held up handing on
     * what it read. A peer that is alive but slow to confirm is heard; a dead path is not.
     */
    public boolean heardWithin(Duration period) {
        return handingOn || System.nanoTime() - lastReadNanos <= period.toNanos();
    }

    public boolean isOpen() {
        return opened.isDone() && !opened.isCompletedExceptionally() && !socketClosed.get() && !endSent && !failing;
    }

    /** True once the connection itself is closed (and the listener told, or about to be). */
    public boolean isClosed() {
        return socketClosed.get();
    }

    /** Why the link closed, once it has. */
    public String closeReason() {
        return closeReason;
    }

    /**
     * Queues a stanza; {@code from} is set to our instance when absent. The future completes
     * when the bytes are handed to TCP, or fails with {@link LinkClosedException}.
     */
    public CompletableFuture<Void> send(Stanza stanza) {
        if (stanza.getFrom() == null) {
            Jid me = jid(localInstance);
            if (me != null) {
                stanza.setFrom(me);
            }
        }
        if (stanza.getTo() == null && peerJid != null) {
            stanza.setTo(peerJid);
        }
        return enqueue(wireBytes(stanza), false, true);
    }

    /** The stanza's XML as Smack prints it ({@code toXML().toString()}), in UTF-8; see {@link FlatXml}. */
    static byte[] wireBytes(Stanza stanza) {
        return FlatXml.of(stanza.toXML()).getBytes(StandardCharsets.UTF_8);
    }

    private CompletableFuture<Void> enqueue(byte[] bytes, boolean closeAfter, boolean stanza) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (socketClosed.get() || endSent || failing) {
            done.completeExceptionally(new LinkClosedException("link to " + peer + " is closed"
                    + (closeReason != null ? ": " + closeReason : "")));
            return done;
        }
        Out o = new Out(bytes, done, closeAfter, stanza);
        queue.add(o);
        // Closed meanwhile: fail our own stanza if the writer will not see it. (Draining the
        // whole queue here would also take the writer's POISON, and its thread would wait
        // on an empty queue forever.)
        if (socketClosed.get() && queue.remove(o)) {
            done.completeExceptionally(new LinkClosedException("link to " + peer + " is closed"
                    + (closeReason != null ? ": " + closeReason : "")));
        }
        return done;
    }

    private void sendHeader(StreamHeader header) {
        headerSent = true;
        enqueue(header.toXml().getBytes(StandardCharsets.UTF_8), false, false);
    }

    /** Closes gracefully: our stream end, the peer's in return, then TCP. Idempotent. */
    @Override
    public void close() {
        close("closed by us");
    }

    public void close(String reason) {
        if (socketClosed.get() || endSent || failing) {
            return;
        }
        if (closeReason == null) {
            closeReason = reason;
        }
        if (!headerSent || !opened.isDone()) {
            shutdown(reason);
            return;
        }
        endSent = true;
        queue.add(new Out(STREAM_END.getBytes(StandardCharsets.UTF_8), new CompletableFuture<>(), endReceived, false));
        if (!endReceived) {
            shutdownAfterCloseTimeout("peer did not end its stream within " + config.closeTimeout(), false);
        }
    }

    /**
     * Drops the connection at once, as a crash or a network failure would: no stream end,
     * no TLS close, and TCP reset rather than closed (SO_LINGER 0), so whatever is still
     * unsent is discarded and the peer sees its stream break off, possibly mid-stanza.
     * Queued stanzas fail with {@link LinkClosedException}; the listener hears
     * {@code closed} once. For a link we give up on (it stalled) and for tests of failover.
     * Idempotent; safe from any thread.
     */
    public void abort(String reason) {
        if (socketClosed.get()) {
            return;
        }
        Objects.requireNonNull(reason, "reason");
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            LOG.debug("SO_LINGER 0 on {}: {}", peer, e.toString());
        }
        shutdown(reason, true); // this reason wins over a graceful close begun earlier
    }

    /** Sends a stream error (with our header first if we have not sent it) and closes. */
    void fail(StreamErrorCondition condition, String text) {
        if (socketClosed.get() || failing) {
            return;
        }
        failing = true;
        closeReason = "stream error sent: " + condition.elementName() + " (" + text + ")";
        LOG.info("Link {} {}: {}", direction, peer != null ? peer : remoteAddress(), closeReason);
        counters.streamErrorsSent.incrementAndGet();
        StringBuilder xml = new StringBuilder();
        if (!headerSent) {
            headerSent = true;
            xml.append(StreamHeader.ours(localInstance, null, "1.0", newId()).toXml());
        }
        xml.append(condition.toXml(text));
        if (!endSent) {
            endSent = true;
            xml.append(STREAM_END);
        }
        queue.add(new Out(xml.toString().getBytes(StandardCharsets.UTF_8), new CompletableFuture<>(), true, false));
        shutdownAfterCloseTimeout(closeReason, true); // the writer closes once the error is out
    }

    /**
     * Shuts down after the close timeout: time for the writer to flush what ends the stream,
     * and for the peer to end its own. When the owner's timers are gone (it is closing, and
     * nothing would run later), at once, unless the writer shuts down itself after flushing
     * ({@code writerCloses}).
     */
    private void shutdownAfterCloseTimeout(String reason, boolean writerCloses) {
        try {
            timers.schedule(() -> shutdown(reason), config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (!writerCloses) {
                shutdown(reason);
            }
        }
    }

    private void tick() {
        if (socketClosed.get()) {
            return;
        }
        long now = System.nanoTime();
        if (!heardWithin(config.idleTimeout())) {
            fail(StreamErrorCondition.CONNECTION_TIMEOUT, "nothing received for " + config.idleTimeout().toSeconds() + " s");
        } else if (headerSent && !endSent && !failing && !upgrading && queue.isEmpty()
                && now - lastWriteNanos >= config.keepAlive().toNanos()) {
            queue.add(new Out(KEEP_ALIVE, null, false, false));
        }
    }

    private void readLoop() {
        StreamFramer framer = new StreamFramer(config.maxStanzaBytes(), new Sink());
        byte[] buf = new byte[16 * 1024];
        try {
            in = socket.getInputStream();
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    shutdown(endReceived ? "stream ended" : "connection lost: TCP closed without a stream end");
                    return;
                }
                lastReadNanos = System.nanoTime();
                if (!framer.ended() && !failing) {
                    handingOn = true;
                    try {
                        framer.feed(buf, 0, n);
                    } finally {
                        handingOn = false;
                        lastReadNanos = System.nanoTime(); // the peer's silence is counted from here
                    }
                }
                if (upgrade != Upgrade.NONE) {
                    startTls(upgrade == Upgrade.AS_CLIENT);
                    upgrade = Upgrade.NONE;
                    framer = new StreamFramer(config.maxStanzaBytes(), new Sink()); // the stream restarts
                }
            }
        } catch (StreamFault fault) {
            fail(fault.condition(), fault.getMessage().substring(fault.condition().elementName().length() + 2));
        } catch (IOException e) {
            shutdown(socketClosed.get() ? closeReason : "connection lost: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Link reader failed", e);
            shutdown("internal error: " + e);
        }
    }

    /**
     * Switches the socket to TLS (RFC 6120 section 5) on the reader thread, with the writer
     * paused: the TLS handshake, then new streams; the client then sends a new header.
     */
    private void startTls(boolean client) throws IOException {
        upgrading = true;
        writerPaused = new java.util.concurrent.CountDownLatch(1);
        writerResume = new java.util.concurrent.CountDownLatch(1);
        queue.add(PAUSE);
        try {
            if (!writerPaused.await(config.closeTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS)) {
                throw new IOException("the writer did not pause for STARTTLS");
            }
            javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) config.tls().getSocketFactory().createSocket(
                    socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
            ssl.setUseClientMode(client);
            socket.setSoTimeout((int) config.connectTimeout().toMillis());
            ssl.startHandshake();
            socket.setSoTimeout(0);
            in = ssl.getInputStream();
            out = new BufferedOutputStream(ssl.getOutputStream(), 16 * 1024);
            tlsActive = true;
            decoder = null;
            LOG.info("Link {} {}: TLS {} with {}", direction, peer, ssl.getSession().getProtocol(),
                    ssl.getSession().getCipherSuite());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during STARTTLS", e);
        } finally {
            upgrading = false;
            writerResume.countDown();
        }
        if (client) {
            sendHeader(StreamHeader.ours(localInstance, peer, "1.0", null));
        }
    }

    private void writeLoop() {
        List<Out> batch = new ArrayList<>();
        try {
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            while (true) {
                batch.clear();
                batch.add(queue.take());
                if (batch.get(0) != PAUSE) {
                    queue.drainTo(batch);
                }
                boolean closeAfter = false;
                for (int i = 0; i < batch.size(); i++) {
                    Out o = batch.get(i);
                    if (o == POISON) {
                        out.flush(); // if this fails, the whole batch fails below
                        // written before the shutdown: done; queued behind it: never written
                        completeAll(batch.subList(0, i));
                        failAll(batch.subList(i + 1, batch.size()));
                        return;
                    }
                    if (o == PAUSE) {
                        out.flush();
                        writerPaused.countDown();
                        writerResume.await();
                        continue;
                    }
                    out.write(o.bytes());
                    closeAfter |= o.closeAfter();
                    if (o.stanza()) {
                        counters.stanzasOut.incrementAndGet();
                    }
                }
                out.flush();
                lastWriteNanos = System.nanoTime();
                completeAll(batch);
                if (closeAfter) {
                    shutdown(closeReason != null ? closeReason : "stream ended");
                    return;
                }
            }
        } catch (IOException e) {
            for (Out o : batch) {
                if (o.done() != null) {
                    o.done().completeExceptionally(new LinkClosedException("write failed: " + e.getMessage()));
                }
            }
            shutdown(socketClosed.get() ? closeReason : "write failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown("interrupted");
        }
    }

    private static void completeAll(List<Out> batch) {
        for (Out o : batch) {
            if (o.done() != null) {
                o.done().complete(null);
            }
        }
    }

    private void failAll(List<Out> batch) {
        for (Out o : batch) {
            if (o.done() != null) {
                o.done().completeExceptionally(new LinkClosedException("link to " + peer + " closed: " + closeReason));
            }
        }
    }

    /** Closes TCP now; idempotent; tells the listener once. */
    private void shutdown(String reason) {
        shutdown(reason, false);
    }

    private void shutdown(String reason, boolean reasonWins) {
        if (!socketClosed.compareAndSet(false, true)) {
            return;
        }
        if (reasonWins || closeReason == null || (!failing && !endSent)) {
            closeReason = reason;
        }
        ScheduledFuture<?> t = ticker;
        if (t != null) {
            t.cancel(false);
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing socket: {}", e.toString());
        }
        failQueued();
        queue.add(POISON);
        opened.completeExceptionally(new LinkClosedException("link closed before it opened: " + closeReason));
        LOG.debug("Link {} {} closed: {}", direction, peer, closeReason);
        listener.closed(this, closeReason);
    }

    private void failQueued() {
        List<Out> left = new ArrayList<>();
        queue.drainTo(left);
        for (Out o : left) {
            if (o.done() != null) {
                o.done().completeExceptionally(new LinkClosedException("link to " + peer + " closed: " + closeReason));
            }
        }
    }

    private void markOpened() {
        if (opened.complete(this)) {
            listener.opened(this);
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    static Jid jid(String instance) {
        if (instance == null) {
            return null;
        }
        try {
            return JidCreate.from(instance);
        } catch (XmppStringprepException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Framer events; run on the reader thread. */
    private final class Sink implements StreamFramer.Sink {
        @Override
        public void header(StreamHeader header) throws StreamFault {
            decoder = new StanzaDecoder(header);
            if (direction == Direction.INBOUND) {
                String who = authenticator.authenticate(header.from(), socket.getInetAddress());
                peer = who;
                peerJid = jid(who);
                boolean v1 = header.versionAtLeastOne();
                sendHeader(StreamHeader.ours(localInstance, header.from() != null ? header.from() : null,
                        v1 ? "1.0" : null, newId()));
                boolean offerTls = v1 && config.tls() != null && !tlsActive;
                if (v1) {
                    enqueue(features(offerTls).getBytes(StandardCharsets.UTF_8), false, false);
                }
                if (!offerTls) {
                    markOpened(); // else when the peer starts TLS, or sends a stanza without it
                }
            } else if (!header.versionAtLeastOne()) {
                markOpened();
            }
        }

        private String features(boolean offerTls) {
            // no SASL and no resource binding on link-local streams
            return offerTls ? "<stream:features><starttls xmlns='" + TLS_NS + "'/></stream:features>"
                    : "<stream:features/>";
        }

        @Override
        public void element(String qname, byte[] xml) throws StreamFault {
            String local = qname.substring(qname.indexOf(':') + 1);
            boolean streamsNs = qname.indexOf(':') > 0;
            if (streamsNs && local.equals("features")) {
                boolean offered = new String(xml, StandardCharsets.UTF_8).contains(TLS_NS);
                if (direction == Direction.OUTBOUND && offered && config.tls() != null && !tlsActive) {
                    enqueue(("<starttls xmlns='" + TLS_NS + "'/>").getBytes(StandardCharsets.UTF_8), false, false);
                    return; // opened once TLS is up and the stream restarted
                }
                markOpened();
                return;
            }
            if (!streamsNs && (local.equals("starttls") || local.equals("proceed") || local.equals("failure"))
                    && new String(xml, StandardCharsets.UTF_8).contains(TLS_NS)) {
                tlsElement(local);
                return;
            }
            if (streamsNs && local.equals("error")) {
                String text = new String(xml, StandardCharsets.UTF_8);
                LOG.info("Peer {} sent a stream error: {}", peer, StreamHeader.abbreviate(text));
                closeReason = "stream error received: " + StreamHeader.abbreviate(text);
                endReceived = true;
                shutdown(closeReason);
                return;
            }
            if (!(local.equals("message") || local.equals("iq") || local.equals("presence"))) {
                throw new StreamFault(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, "<" + qname + "> is not a stanza");
            }
            markOpened(); // a version-1.0 responder that sends no features (lenient)
            Stanza stanza;
            try {
                stanza = decoder.decode(xml);
            } catch (StanzaDecoder.MalformedStanzaException e) {
                throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, e.getMessage());
            } catch (SmackParsingException e) {
                counters.stanzasDropped.incrementAndGet();
                LOG.info("Dropped an invalid <{}> from {}: {}", local, peer, e.getMessage());
                return;
            }
            if (peerJid != null) {
                if (stanza.getFrom() != null && !stanza.getFrom().equals(peerJid)) {
                    LOG.debug("{} claimed from={} on its link; stamped with the link's peer", peer, stanza.getFrom());
                }
                stanza.setFrom(peerJid);
            }
            counters.stanzasIn.incrementAndGet();
            listener.stanza(Link.this, stanza);
        }

        private void tlsElement(String local) throws StreamFault {
            switch (local) {
                case "starttls" -> {
                    if (direction != Direction.INBOUND || config.tls() == null || tlsActive || opened.isDone()) {
                        throw new StreamFault(StreamErrorCondition.POLICY_VIOLATION, "STARTTLS was not offered here");
                    }
                    enqueue(("<proceed xmlns='" + TLS_NS + "'/>").getBytes(StandardCharsets.UTF_8), false, false);
                    upgrade = Upgrade.AS_SERVER;
                }
                case "proceed" -> {
                    if (direction != Direction.OUTBOUND || config.tls() == null || tlsActive) {
                        throw new StreamFault(StreamErrorCondition.POLICY_VIOLATION, "unexpected <proceed/>");
                    }
                    upgrade = Upgrade.AS_CLIENT;
                }
                default -> {
                    closeReason = "peer refused STARTTLS";
                    shutdown(closeReason);
                }
            }
        }

        @Override
        public void end() {
            endReceived = true;
            if (endSent) {
                shutdown("stream ended"); // we ended first: we close TCP
            } else {
                endSent = true;
                queue.add(new Out(STREAM_END.getBytes(StandardCharsets.UTF_8), new CompletableFuture<>(), false, false));
                // the peer ended first and closes TCP; the read loop sees EOF, or the timer gives up
                shutdownAfterCloseTimeout("stream ended", false);
            }
        }
    }
}
