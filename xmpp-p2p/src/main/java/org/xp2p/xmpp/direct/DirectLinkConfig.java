package org.xp2p.xmpp.direct;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.xp2p.xmpp.link.LinkConfig;

/**
 * Where direct links listen and how they behave. Immutable.
 *
 * @param link              stream settings; its bind address is our local (LAN) address and its
 *                          port the one we publish as {@code locPort} (0: any free port)
 * @param ownExternal       our external address when it is assigned to this host (a public
 *                          address, or a test's second address): we then also listen there and
 *                          connect from it to peers behind other gateways. Empty behind NAT.
 * @param idleClose         a link that carried no stanza for this long is closed
 * @param handshakeTimeout  how long opening a link may take, TCP connect included
 */
public record DirectLinkConfig(LinkConfig link, Optional<InetAddress> ownExternal, Duration idleClose,
        Duration handshakeTimeout) {

    public DirectLinkConfig {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(ownExternal, "ownExternal");
        Objects.requireNonNull(idleClose, "idleClose");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (ownExternal.isPresent() && ownExternal.get().isAnyLocalAddress()) {
            throw new IllegalArgumentException("ownExternal must be a concrete address, not the wildcard");
        }
    }

    /**
     * Links on {@code local}: keep-alive 3 s, idle close after 5 minutes, 3 s to open. The
     * keep-alive is well inside the router's default receipt timeout (10 s), so that a peer
     * alive but slow to confirm is heard before its link would be given up.
     */
    public static DirectLinkConfig on(InetAddress local) {
        LinkConfig link = new LinkConfig(local, 0, LinkConfig.DEFAULT_MAX_STANZA_BYTES, Duration.ofSeconds(3),
                Duration.ofSeconds(35), Duration.ofSeconds(2), Duration.ofSeconds(2));
        return new DirectLinkConfig(link, Optional.empty(), Duration.ofMinutes(5), Duration.ofSeconds(3));
    }

    public DirectLinkConfig withOwnExternal(InetAddress address) {
        return new DirectLinkConfig(link, Optional.of(address), idleClose, handshakeTimeout);
    }

    public DirectLinkConfig withLink(LinkConfig newLink) {
        return new DirectLinkConfig(newLink, ownExternal, idleClose, handshakeTimeout);
    }

    public DirectLinkConfig withIdleClose(Duration d) {
        return new DirectLinkConfig(link, ownExternal, d, handshakeTimeout);
    }
}
