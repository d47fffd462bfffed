package org.xp2p.xmpp.broker;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a device reaches and logs in to its broker. Immutable.
 *
 * @param domain        the XMPP domain (the JID's domain part)
 * @param host          the broker's host name or address
 * @param port          the client port, usually 5222
 * @param username      the account's local part
 * @param password      the account's password (SCRAM)
 * @param resource      our resource; fixed, so our full JID stays the same across reconnections
 * @param transport     TLS (certificates checked) or plaintext (tests on loopback only)
 * @param pinnedCa      when present, the only CA trusted for the broker's certificate
 * @param reconnectMin  the first reconnection delay; it doubles up to {@code reconnectMax}
 * @param reconnectMax  the longest reconnection delay
 */
public record BrokerConfig(String domain, String host, int port, String username, String password, String resource,
        Transport transport, Optional<X509Certificate> pinnedCa, Duration reconnectMin, Duration reconnectMax) {

    /** What protects the client-to-broker stream. */
    public enum Transport {
        /** STARTTLS required, the broker's certificate verified (against the pinned CA when given). */
        TLS,
        /** No TLS at all: only for a test broker on loopback or in a test namespace. */
        PLAINTEXT_FOR_TESTS
    }

    public BrokerConfig {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(resource, "resource: a fixed resource keeps our full JID stable for direct links");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(pinnedCa, "pinnedCa");
        Objects.requireNonNull(reconnectMin, "reconnectMin");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 1..65535");
        }
        if (reconnectMin.isNegative() || reconnectMin.isZero() || reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnect delays must be positive and min <= max, not "
                    + reconnectMin + ".." + reconnectMax);
        }
        if (transport == Transport.PLAINTEXT_FOR_TESTS && pinnedCa.isPresent()) {
            throw new IllegalArgumentException("a pinned CA makes no sense without TLS; choose Transport.TLS");
        }
    }

    /** TLS with the system's trusted CAs, reconnecting after 1 s, backing off to 60 s. */
    public static BrokerConfig tls(String domain, String host, int port, String username, String password, String resource) {
        return new BrokerConfig(domain, host, port, username, password, resource, Transport.TLS, Optional.empty(),
                Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /** Plaintext, for a test broker only; reconnects after 200 ms, backing off to 2 s. */
    public static BrokerConfig plaintextForTests(String domain, String host, int port, String username, String password,
            String resource) {
        return new BrokerConfig(domain, host, port, username, password, resource, Transport.PLAINTEXT_FOR_TESTS,
                Optional.empty(), Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    public BrokerConfig withPinnedCa(X509Certificate ca) {
        return new BrokerConfig(domain, host, port, username, password, resource, Transport.TLS, Optional.of(ca),
                reconnectMin, reconnectMax);
    }

    public BrokerConfig withReconnect(Duration min, Duration max) {
        return new BrokerConfig(domain, host, port, username, password, resource, transport, pinnedCa, min, max);
    }

    /** Our full JID as text: {@code username@domain/resource}. */
    public String fullJid() {
        return username + "@" + domain + "/" + resource;
    }

    @Override
    public String toString() {
        return "BrokerConfig[" + fullJid() + " via " + host + ":" + port + ", " + transport
                + (pinnedCa.isPresent() ? ", pinned CA " + pinnedCa.get().getSubjectX500Principal() : "") + "]";
    }
}
