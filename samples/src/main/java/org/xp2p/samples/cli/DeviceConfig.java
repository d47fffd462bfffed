package org.xp2p.samples.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xp2p.discovery.dht.ContactOffer;

/**
 * One device as its configuration file describes it (format: {@link DeviceConfigFile}).
 * Immutable; paths are resolved against the file's directory.
 *
 * @param file         the configuration file itself
 * @param identityFile the identity key file ({@code xp2p keys create})
 * @param jid          serverless: our instance name {@code user@machine}; broker: our full JID
 * @param serverless   the interface address for mDNS and link-local streams, in serverless mode
 * @param mdns         serverless: whether to announce and browse with mDNS (off: DHT only)
 * @param broker       the broker account, in broker mode
 * @param allowList    the peers we accept, by identity key
 * @param dht          the DHT node, when one is configured
 * @param portMapping  whether to map our ports on the Internet gateway (UPnP IGD, NAT-PMP, PCP)
 */
record DeviceConfig(Path file, Path identityFile, String jid, Optional<InetAddress> serverless, boolean mdns,
                    Optional<Broker> broker,
                    List<AllowedPeer> allowList, Optional<Dht> dht, boolean portMapping) {

    DeviceConfig {
        Objects.requireNonNull(jid, "jid");
        allowList = List.copyOf(allowList);
        if (serverless.isPresent() == broker.isPresent()) {
            throw new IllegalArgumentException("a device is either serverless or uses a broker");
        }
    }

    /** The address our links (and by default the DHT) use: the serverless interface or the direct-link address. */
    Optional<InetAddress> linkAddress() {
        return serverless.isPresent() ? serverless : broker.flatMap(Broker::directAddress);
    }

    /**
     * @param host          the broker's host name or address
     * @param port          its client port
     * @param password      the account's password
     * @param caPin         a PEM file with the only CA trusted for the broker's certificate
     * @param tls           false only for a test broker on loopback
     * @param directAddress the address for direct links to peers; none: broker only
     */
    record Broker(String host, int port, String password, Optional<Path> caPin, boolean tls,
                  Optional<InetAddress> directAddress) {
        @Override
        public String toString() {
            return "Broker[" + host + ":" + port + (tls ? " TLS" : " plaintext") + caPin.map(p -> ", CA " + p).orElse("")
                    + directAddress.map(a -> ", direct links on " + a.getHostAddress()).orElse("") + "]";
        }
    }

    /** @param address where the node binds; @param port 0 for any; @param seeds nodes to join through */
    record Dht(InetAddress address, int port, List<InetSocketAddress> seeds) {
        Dht {
            seeds = List.copyOf(seeds);
        }
    }

    /**
     * A peer we accept.
     *
     * @param name         its name in the file ({@code peer.NAME.*})
     * @param identityKey  its Ed25519 identity public key
     * @param jid          its JID, when known (needed in broker mode, for the subscription)
     * @param dhtAddresses where its DHT node listens, from its offer
     * @param offer        its signed contact offer, when the file names one ({@code peer.NAME.offer}): broker
     *                     mode needs the signature to take the peer's DHT record as that account's
     */
    record AllowedPeer(String name, byte[] identityKey, Optional<String> jid, List<InetSocketAddress> dhtAddresses,
                       Optional<ContactOffer> offer) {
        AllowedPeer {
            identityKey = identityKey.clone();
            dhtAddresses = List.copyOf(dhtAddresses);
            Objects.requireNonNull(offer, "offer");
        }

        @Override
        public byte[] identityKey() {
            return identityKey.clone();
        }
    }
}
