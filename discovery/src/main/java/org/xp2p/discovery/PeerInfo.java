package org.xp2p.discovery;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.xp2p.schemas.smack.E2eElement;

/**
 * An immutable snapshot of one peer as one source saw it at one moment: who it is, where
 * it can be reached, which keys it currently uses. Sources (broker presence, the mDNS
 * browser, DHT lookups, synchE2e replies) only produce these; the peer directory merges
 * them; routing and link authentication only read the merged result.
 *
 * <p>Optional parts are absent when the source did not say; an absent part never means
 * "the peer has none" except where {@link Source} says so.
 */
public final class PeerInfo {

    /** Where a snapshot came from, in increasing order of how much it can be trusted. */
    public enum Source {
        /** A link-local DNS-SD announcement: anyone on the LAN can claim any name. */
        MDNS,
        /** An answer to our synchE2e request over a link we opened. */
        SYNCH_E2E,
        /** A record from the DHT, signed by the peer's identity key. */
        DHT,
        /** Presence relayed by our authenticated broker from a subscribed contact. */
        BROKER_PRESENCE
    }

    private final String jid;
    private final Source source;
    private final Instant learnedAt;
    private final List<InetSocketAddress> localEndpoints;
    private final InetSocketAddress externalEndpoint;
    private final String linkLocalInstance;
    private final E2eElement e2eKeys;
    private final byte[] identityKey;
    private final Map<String, String> attributes;

    private PeerInfo(Builder b) {
        this.jid = b.jid;
        this.source = b.source;
        this.learnedAt = b.learnedAt;
        this.localEndpoints = List.copyOf(b.localEndpoints);
        this.externalEndpoint = b.externalEndpoint;
        this.linkLocalInstance = b.linkLocalInstance;
        this.e2eKeys = b.e2eKeys;
        this.identityKey = b.identityKey == null ? null : b.identityKey.clone();
        this.attributes = Map.copyOf(b.attributes);
    }

    public static Builder builder(String jid, Source source, Instant learnedAt) {
        return new Builder(jid, source, learnedAt);
    }

    /** A builder holding everything this snapshot holds, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(jid, source, learnedAt);
        b.localEndpoints = localEndpoints;
        b.externalEndpoint = externalEndpoint;
        b.linkLocalInstance = linkLocalInstance;
        b.e2eKeys = e2eKeys;
        b.identityKey = identityKey;
        b.attributes.putAll(attributes);
        return b;
    }

    /** The peer's full JID; for link-local peers, the instance name {@code user@machine}. */
    public String jid() {
        return jid;
    }

    public Source source() {
        return source;
    }

    public Instant learnedAt() {
        return learnedAt;
    }

    /** Addresses on the peer's LAN (p2p locIp:locPort, or the mDNS SRV target's addresses). */
    public List<InetSocketAddress> localEndpoints() {
        return localEndpoints;
    }

    /** The address its gateway maps for it (p2p extIp:extPort). */
    public Optional<InetSocketAddress> externalEndpoint() {
        return Optional.ofNullable(externalEndpoint);
    }

    /** The DNS-SD instance name, for peers seen on the LAN. */
    public Optional<String> linkLocalInstance() {
        return Optional.ofNullable(linkLocalInstance);
    }

    /** The peer's current E2E public keys and accepted ciphers. */
    public Optional<E2eElement> e2eKeys() {
        return Optional.ofNullable(e2eKeys);
    }

    /** The peer's long-term Ed25519 identity public key (32 octets). */
    public Optional<byte[]> identityKey() {
        return Optional.ofNullable(identityKey).map(byte[]::clone);
    }

    /** Free-form facts from the source, such as the TXT record's status, msg and nick. */
    public Map<String, String> attributes() {
        return attributes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerInfo p && jid.equals(p.jid) && source == p.source && learnedAt.equals(p.learnedAt)
                && localEndpoints.equals(p.localEndpoints) && Objects.equals(externalEndpoint, p.externalEndpoint)
                && Objects.equals(linkLocalInstance, p.linkLocalInstance) && Objects.equals(e2eKeys, p.e2eKeys)
                && Arrays.equals(identityKey, p.identityKey) && attributes.equals(p.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jid, source, learnedAt, localEndpoints, externalEndpoint, linkLocalInstance, e2eKeys,
                Arrays.hashCode(identityKey), attributes);
    }

    @Override
    public String toString() {
        return "PeerInfo[" + jid + " from " + source + " at " + learnedAt + ", local=" + localEndpoints
                + (externalEndpoint != null ? ", external=" + externalEndpoint : "")
                + (e2eKeys != null ? ", keys=" + e2eKeys.keys() : "") + "]";
    }

    /** Collects the optional parts of a {@link PeerInfo}. Not thread-safe. */
    public static final class Builder {
        private final String jid;
        private final Source source;
        private final Instant learnedAt;
        private List<InetSocketAddress> localEndpoints = List.of();
        private InetSocketAddress externalEndpoint;
        private String linkLocalInstance;
        private E2eElement e2eKeys;
        private byte[] identityKey;
        private final Map<String, String> attributes = new LinkedHashMap<>();

        private Builder(String jid, Source source, Instant learnedAt) {
            this.jid = Objects.requireNonNull(jid, "jid");
            this.source = Objects.requireNonNull(source, "source");
            this.learnedAt = Objects.requireNonNull(learnedAt, "learnedAt");
        }

        public Builder localEndpoints(List<InetSocketAddress> endpoints) {
            this.localEndpoints = List.copyOf(endpoints);
            return this;
        }

        public Builder externalEndpoint(InetSocketAddress endpoint) {
            this.externalEndpoint = endpoint;
            return this;
        }

        public Builder linkLocalInstance(String instance) {
            this.linkLocalInstance = instance;
            return this;
        }

        public Builder e2eKeys(E2eElement keys) {
            this.e2eKeys = keys;
            return this;
        }

        public Builder identityKey(byte[] ed25519PublicKey) {
            if (ed25519PublicKey != null && ed25519PublicKey.length != 32) {
                throw new IllegalArgumentException("an Ed25519 identity key has 32 octets, not " + ed25519PublicKey.length);
            }
            this.identityKey = ed25519PublicKey == null ? null : ed25519PublicKey.clone();
            return this;
        }

        public Builder attribute(String name, String value) {
            attributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public PeerInfo build() {
            return new PeerInfo(this);
        }
    }
}
