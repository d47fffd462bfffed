package org.xp2p.samples.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.mdns.PresenceListener;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.device.Device;
import org.xp2p.xmpp.link.Link;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.xmpp.linklocal.DhtPeers;
import org.xp2p.xmpp.linklocal.LinkLocalDevice;
import org.xp2p.xmpp.secure.E2eStanzaProtector;

/**
 * A serverless device: a {@link LinkLocalDevice} announcing itself with mDNS on the
 * configured interface, secured by an {@link E2eStanzaProtector} that admits only the
 * identity keys on the allow-list. With a DHT node it also publishes its signed presence
 * there and reaches the allowed peers through theirs, over direct links. A message counts as delivered when the peer answers
 * the ping sent right after it on the same (ordered) link: the peer decrypted and handled
 * the message before it read the ping. Threads: those of the LinkLocalDevice.
 */
final class ServerlessCore implements DeviceCore {
    private static final long RETRY_NANOS = 1_000_000_000L;
    private static final long REFRESH_WHILE_WAITING_NANOS = 2_000_000_000L;
    private final DeviceConfig config;
    private final DeviceLog log;
    private final E2eEndpoint endpoint;
    private final E2eStanzaProtector protector;
    private final LinkLocalDevice device;
    private volatile Optional<InetSocketAddress> external = Optional.empty();
    private volatile long lastRefreshNanos = System.nanoTime();

    private ServerlessCore(DeviceConfig config, IdentityKey identity, Optional<DhtNode> dht, DeviceLog log)
            throws CliException {
        this.config = config;
        this.log = log;
        SecureRandom random = new SecureRandom();
        this.endpoint = new E2eEndpoint(new LocalKeyRing(List.of(KeyType.ED25519, KeyType.X25519, KeyType.P256), 128,
                random), Device.defaultPolicy(), random);
        this.protector = new E2eStanzaProtector(endpoint, identity,
                config.allowList().stream().map(DeviceConfig.AllowedPeer::identityKey).toList());
        LinkLocalDevice.Builder builder = LinkLocalDevice.builder(config.jid(), config.serverless().orElseThrow())
                .handler(new PrintingHandler(log))
                .presenceListener(new Arrivals())
                .protector(protector)
                .mdns(config.mdns());
        if (dht.isPresent()) {
            // the device publishes our record and reaches the allowed peers through theirs
            builder.dht(dht.get());
            config.allowList().forEach(p -> builder.contact(p.identityKey()));
        }
        try {
            this.device = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new CliException(ExitCodes.START_FAILED, "cannot start on " + config.serverless().get().getHostAddress()
                    + ": " + e.getMessage() + "; serverless.address must be an address of this machine (`ip addr`)", e);
        }
        device.addLinkClosedListener((link, why) -> log.event("link to " + link.peer() + " closed: " + why));
    }

    /** @param dht the DHT node to publish and find contacts through (the caller closes it), if any */
    static ServerlessCore start(DeviceConfig config, IdentityKey identity, Optional<DhtNode> dht, DeviceLog log)
            throws CliException {
        return new ServerlessCore(config, identity, dht, log);
    }

    /** With a DHT: the device's publish of our record, and a way to make it again. */
    Optional<DhtPeers> dht() {
        return device.dht();
    }

    /** Publishes our DHT record again (the device does so on any change of external endpoint). */
    CompletableFuture<org.xp2p.discovery.dht.PutResult> republish() {
        device.externalEndpoint(external);
        return device.dht().orElseThrow().published();
    }

    @Override
    public String jid() {
        return device.instance();
    }

    private String allowedName(String jid) {
        return config.allowList().stream().filter(a -> a.jid().map(j -> j.equalsIgnoreCase(jid)).orElse(false))
                .findFirst().map(a -> "allow-list '" + a.name() + "' " + IdentityKeys.fingerprint(a.identityKey()))
                .orElse(null);
    }

    @Override
    public List<PeerView> peers() {
        List<PeerView> out = new ArrayList<>();
        for (PeerInfo p : device.peers()) {
            String id = protector.verified(p.jid()) ? "identity verified on link" : allowedName(p.jid());
            out.add(PeerView.of(p, id));
        }
        return out;
    }

    @Override
    public boolean sees(String jid) {
        if (device.peer(jid).isPresent() || device.dht().flatMap(d -> d.peer(jid)).isPresent()) {
            return true;
        }
        // the contacts' records were looked up at start; a peer may have published since
        long now = System.nanoTime();
        if (device.dht().isPresent() && now - lastRefreshNanos > REFRESH_WHILE_WAITING_NANOS) {
            lastRefreshNanos = now;
            config.allowList().forEach(p -> device.dht().get().refresh(p.identityKey()));
        }
        return false;
    }

    @Override
    public DeliveryPath send(String to, String text, Duration timeout) throws CliException, InterruptedException {
        Message message;
        Ping ping;
        try {
            message = StanzaBuilder.buildMessage().to(JidCreate.from(to)).ofType(Message.Type.chat).setBody(text).build();
            ping = new Ping(JidCreate.from(to));
        } catch (XmppStringprepException e) {
            throw new CliException(ExitCodes.USAGE, "'" + to + "' is not a JID: " + e.getMessage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        IQ answer;
        while (true) {
            try {
                await(device.send(message), deadline, to);
                answer = await(device.sendIq(ping), deadline, to);
                break;
            } catch (CliException e) {
                // A peer accepts a stream only from an instance it has seen announced; ours went
                // out moments ago (a command starts the device just before sending). The stream
                // was refused before any stanza, so sending again cannot duplicate the message.
                if (!e.getMessage().contains("invalid-from") || System.nanoTime() + RETRY_NANOS > deadline) {
                    throw e;
                }
                log.always(to + " has not seen our announcement yet; trying again in a second...");
                Thread.sleep(RETRY_NANOS / 1_000_000);
            }
        }
        if (answer.getType() == IQ.Type.error) {
            StanzaError.Condition c = answer.getError().getCondition();
            if (c == StanzaError.Condition.forbidden || c == StanzaError.Condition.not_acceptable) {
                throw new CliException(ExitCodes.PEER_REFUSED, to + " refused our stanzas (" + c + ": "
                        + answer.getError().getDescriptiveText() + "); make sure it allows our identity key "
                        + "(`xp2p offer import` on its side)");
            }
            // any other error came from its handler, after it decrypted what we sent in order
        }
        // the device keeps a peer its mDNS browser sees link-local; DHT contacts get direct links
        return device.peer(to).isPresent() ? DeliveryPath.LINK_LOCAL : DeliveryPath.DIRECT_LINK;
    }

    private static <T> T await(CompletableFuture<T> f, long deadline, String to) throws CliException, InterruptedException {
        try {
            return f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new CliException(ExitCodes.PEER_UNREACHABLE, to + " did not confirm in time; check that it is "
                    + "running and not overloaded, then try again (a longer --timeout may help)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = String.valueOf(cause.getMessage());
            if (why.contains("cannot secure the link") || why.contains("allow-list") || why.contains("refused")) {
                throw new CliException(ExitCodes.PEER_REFUSED, "the secure handshake with " + to + " failed: " + why
                        + ". Each side must allow the other's identity key: exchange offers (`xp2p offer export`, "
                        + "`xp2p offer import`) and restart both", cause);
            }
            throw new CliException(ExitCodes.PEER_UNREACHABLE, "cannot reach " + to + ": " + why + ". Check that both "
                    + "devices are on the same network and no firewall blocks TCP between them", cause);
        }
    }

    @Override
    public Map<String, String> links() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Link> e : device.links().entrySet()) {
            Link l = e.getValue();
            out.put(e.getKey(), l.direction().name().toLowerCase() + " " + DeviceConfigFile.endpoint(
                    l.localAddress()) + " -> " + DeviceConfigFile.endpoint(l.remoteAddress())
                    + (protector.verified(l.peer()) ? ", identity verified" : ""));
        }
        return out;
    }

    @Override
    public List<InetSocketAddress> linkEndpoints() {
        return List.of(new InetSocketAddress(device.address(), device.port()));
    }

    @Override
    public E2eElement e2eKeys() {
        return endpoint.e2eElement();
    }

    @Override
    public void externalEndpoint(Optional<InetSocketAddress> external) {
        // mDNS announces local addresses only; the DHT record carries the external one
        this.external = external;
        if (device.dht().isPresent()) {
            device.externalEndpoint(external);
        }
    }

    @Override
    public void close() {
        device.close();
    }

    /** Narrates peers arriving and leaving (on the device's executor). */
    private final class Arrivals implements PresenceListener {
        @Override
        public void peerAdded(PeerInfo peer) {
            String known = allowedName(peer.jid());
            log.event("peer arrived: " + peer.jid() + " at " + peer.localEndpoints().stream()
                    .map(DeviceConfigFile::endpoint).toList() + " (mDNS)" + (known != null ? ", " + known : ""));
        }

        @Override
        public void peerUpdated(PeerInfo peer) {
            // TXT refreshes follow most arrivals; they would only add noise
        }

        @Override
        public void peerRemoved(String instance) {
            log.event("peer left: " + instance);
        }
    }
}
