package org.xp2p.samples.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.xmpp.DeliveryPath;

/** The XMPP side of a command-line device: serverless ({@link ServerlessCore}) or through a broker ({@link BrokerCore}). */
interface DeviceCore extends AutoCloseable {
    /** Our JID as peers address us. */
    String jid();

    /** The peers this device sees now. */
    List<PeerView> peers();

    /** Whether {@code jid} is among them, ready to be sent to. */
    boolean sees(String jid);

    /**
     * Sends {@code text} end-to-end encrypted to {@code to} and waits until the peer confirms it.
     *
     * @return the path it took
     * @throws CliException saying whether the peer refused, could not be reached, or did not confirm
     */
    DeliveryPath send(String to, String text, Duration timeout) throws CliException, InterruptedException;

    /** Open links, by peer: a short description of each. */
    Map<String, String> links();

    /** Where our links listen, for the DHT presence and port mapping (empty: no links). */
    List<InetSocketAddress> linkEndpoints();

    /** Our current E2E public keys, for the DHT presence. */
    E2eElement e2eKeys();

    /** Publishes an external endpoint (from a port mapping) where the device can; empty withdraws it. */
    void externalEndpoint(java.util.Optional<InetSocketAddress> external);

    /** Periodic upkeep, on the command's thread (about once a second while it runs). */
    default void tick() {
    }

    @Override
    void close();
}
