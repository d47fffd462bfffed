package org.xp2p.xmpp.link;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of link-local streams, ours and the peers'. Immutable; derive changed copies
 * with the {@code with...} methods.
 *
 * @param bindAddress       the address we listen on and connect from: one we advertise;
 *                          required, there is no wildcard default
 * @param port              the listening port, 0 for any free one
 * @param maxStanzaBytes    the largest stanza accepted; a larger one is a policy-violation
 * @param keepAlive         after this much silence on our side we send a whitespace
 * @param idleTimeout       after this long without a byte from the peer the link closes
 *                          (the peer's keep-alives count); must exceed {@code keepAlive}
 * @param closeTimeout      how long a closing side waits for the peer's stream end
 * @param connectTimeout    TCP connect timeout for outgoing links
 * @param tls               when set, our server offers STARTTLS to version-1.0 peers and our
 *                          client takes it up when offered; its key and trust managers decide
 *                          which certificates are ours and which we accept. Null: plain only
 */
public record LinkConfig(InetAddress bindAddress, int port, int maxStanzaBytes, Duration keepAlive,
        Duration idleTimeout, Duration closeTimeout, Duration connectTimeout, javax.net.ssl.SSLContext tls) {

    public static final int DEFAULT_MAX_STANZA_BYTES = 1 << 20;

    public LinkConfig {
        Objects.requireNonNull(bindAddress, "bindAddress: the address links listen on and leave from is required");
        if (bindAddress.isAnyLocalAddress()) {
            throw new IllegalArgumentException("bind links to an address we advertise, not the wildcard "
                    + bindAddress.getHostAddress());
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 0..65535");
        }
        if (maxStanzaBytes < 1024) {
            throw new IllegalArgumentException("maxStanzaBytes " + maxStanzaBytes + " is below 1024; no XMPP peer could talk");
        }
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (idleTimeout.compareTo(keepAlive) <= 0) {
            throw new IllegalArgumentException("idleTimeout " + idleTimeout + " must exceed keepAlive " + keepAlive
                    + ", or idle peers that do send keep-alives would be cut off");
        }
    }

    /** Plain streams only (no STARTTLS); kept for callers written before TLS was added. */
    public LinkConfig(InetAddress bindAddress, int port, int maxStanzaBytes, Duration keepAlive, Duration idleTimeout,
            Duration closeTimeout, Duration connectTimeout) {
        this(bindAddress, port, maxStanzaBytes, keepAlive, idleTimeout, closeTimeout, connectTimeout, null);
    }

    /** 1 MiB stanzas, keep-alive after 30 s, idle close after 120 s, plain streams. */
    public static LinkConfig defaults(InetAddress bindAddress) {
        return new LinkConfig(bindAddress, 0, DEFAULT_MAX_STANZA_BYTES, Duration.ofSeconds(30), Duration.ofSeconds(120),
                Duration.ofSeconds(2), Duration.ofSeconds(10), null);
    }

    public LinkConfig withPort(int newPort) {
        return new LinkConfig(bindAddress, newPort, maxStanzaBytes, keepAlive, idleTimeout, closeTimeout, connectTimeout, tls);
    }

    public LinkConfig withMaxStanzaBytes(int bytes) {
        return new LinkConfig(bindAddress, port, bytes, keepAlive, idleTimeout, closeTimeout, connectTimeout, tls);
    }

    public LinkConfig withKeepAlive(Duration newKeepAlive, Duration newIdleTimeout) {
        return new LinkConfig(bindAddress, port, maxStanzaBytes, newKeepAlive, newIdleTimeout, closeTimeout, connectTimeout, tls);
    }

    public LinkConfig withTls(javax.net.ssl.SSLContext context) {
        return new LinkConfig(bindAddress, port, maxStanzaBytes, keepAlive, idleTimeout, closeTimeout, connectTimeout,
                context);
    }
}
