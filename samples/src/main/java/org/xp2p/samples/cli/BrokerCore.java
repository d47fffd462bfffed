package org.xp2p.samples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.broker.BrokerConfig;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.device.Device;
import org.xp2p.xmpp.direct.DirectLinkConfig;
import org.xp2p.xmpp.link.Link;
import org.xp2p.xmpp.routing.Delivery;

/**
 * A device in broker mode: a {@link Device} logged in to the configured account, with
 * direct links when {@code broker.direct.address} is set. The allow-list works through
 * presence subscriptions: the JIDs of the allowed peers are subscribed to at start and
 * only their requests are accepted (the broker's roster is what admits a peer here; the
 * identity keys guard the serverless links and the DHT). With a DHT node the device also
 * mirrors our presence there and treats every peer whose signed offer we imported as a
 * contact: it finds them through their records while the broker is down, and it starts
 * without the broker. A send completes on the peer's XEP-0184 receipt. Threads: those of
 * the Device; {@link #tick()} runs on the command's thread.
 */
final class BrokerCore implements DeviceCore {
    private final DeviceConfig config;
    private final DeviceLog log;
    private final Device device;
    private final Optional<java.net.InetAddress> directAddress;
    private final String where;
    private final Set<BareJid> allowed = new java.util.HashSet<>();
    /** Touched on the command's thread only (start, then {@link #tick()}). */
    private boolean subscribed;
    private boolean wasOnline;

    private BrokerCore(DeviceConfig config, Optional<DhtNode> dht, Optional<Duration> contactLookups, DeviceLog log)
            throws CliException, InterruptedException {
        this.config = config;
        this.log = log;
        DeviceConfig.Broker b = config.broker().orElseThrow();
        this.directAddress = b.directAddress();
        this.where = b.host() + ":" + b.port();
        String jid = config.jid();
        int at = jid.indexOf('@');
        int slash = jid.indexOf('/');
        String user = jid.substring(0, at);
        String domain = jid.substring(at + 1, slash);
        String resource = jid.substring(slash + 1);
        BrokerConfig broker = b.tls() ? BrokerConfig.tls(domain, b.host(), b.port(), user, b.password(), resource)
                : BrokerConfig.plaintextForTests(domain, b.host(), b.port(), user, b.password(), resource);
        if (b.caPin().isPresent()) {
            broker = broker.withPinnedCa(readCa(b));
        }
        for (DeviceConfig.AllowedPeer p : config.allowList()) {
            if (p.jid().isPresent()) {
                allowed.add(bare(p.jid().get()));
            }
        }
        log.event("logging in to " + where + " as " + jid + (b.tls() ? " (TLS)" : " (plaintext, test broker)"));
        Device.Builder builder = Device.builder(broker).subscriptions(SubscriptionPolicy.allowList(allowed))
                .handler(new PrintingHandler(log));
        b.directAddress().ifPresent(a -> builder.directLinks(DirectLinkConfig.on(a)));
        if (dht.isPresent()) {
            // the device mirrors our presence into the DHT (following every key rotation) and
            // reaches the offer contacts through their signed records while the broker is down
            builder.dht(dht.get());
            contactLookups.ifPresent(builder::dhtRefresh);
            for (DeviceConfig.AllowedPeer p : config.allowList()) {
                if (p.offer().isPresent()) {
                    builder.contact(p.offer().get());
                } else if (p.jid().isPresent()) {
                    log.always("peer '" + p.name() + "' is reached through the broker only: broker mode finds a peer "
                            + "in the DHT by its signed offer; import it (`xp2p offer import`, which writes peer."
                            + p.name() + ".offer) instead of peer." + p.name() + ".key/jid/dht");
                }
            }
        }
        try {
            this.device = builder.start();
        } catch (IllegalArgumentException e) {
            // an offer the device refuses: our own key, or two keys for one account
            throw new CliException(ExitCodes.BAD_INPUT, config.file() + ": " + e.getMessage() + "; fix the peer.NAME.offer "
                    + "lines", e);
        } catch (IOException | RuntimeException | org.jivesoftware.smack.SmackException
                 | org.jivesoftware.smack.XMPPException e) {
            throw new CliException(ExitCodes.START_FAILED, "cannot log in to the broker at " + where
                    + " as " + jid + ": " + e.getMessage() + "; check broker.host, broker.port, the password and the "
                    + "CA (broker.ca)" + (dht.isPresent() ? "" : " (with a DHT, dht.port, the device would start "
                    + "without the broker and find the peers whose offers it imported there)"), e);
        }
        String links = b.directAddress().isPresent() ? ", direct links on " + DeviceConfigFile.endpoint(linkEndpoints().get(0))
                : ", broker only";
        wasOnline = device.online();
        if (wasOnline) {
            log.event("online as " + device.jid() + links);
            subscribe();
        } else {
            log.always("offline: the broker at " + where + " cannot be reached; contacts whose offers we imported are "
                    + "found through the DHT, and we log in as " + device.jid() + " once the broker answers" + links);
        }
    }

    static BrokerCore start(DeviceConfig config, Optional<DhtNode> dht, Optional<Duration> contactLookups, DeviceLog log)
            throws CliException, InterruptedException {
        return new BrokerCore(config, dht, contactLookups, log);
    }

    /** Asks the allowed peers for presence subscriptions (once per session, the broker keeps the roster). */
    private void subscribe() {
        subscribed = true;
        for (BareJid contact : allowed) {
            try {
                device.subscribe(contact);
                log.event("asked " + contact + " for a presence subscription");
            } catch (org.jivesoftware.smack.SmackException | org.jivesoftware.smack.XMPPException e) {
                log.always("cannot subscribe to " + contact + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Narrates the broker coming and going; a device that started offline subscribes once it is in. */
    @Override
    public void tick() {
        boolean now = device.online();
        if (now != wasOnline) {
            wasOnline = now;
            log.always(now ? "online: logged in to " + where + " as " + device.jid()
                    : "offline: lost the broker at " + where + "; contacts whose offers we imported are reached through "
                    + "the DHT meanwhile");
        }
        if (now && !subscribed) {
            subscribe();
        }
    }

    /** Makes the device publish our presence again, to the broker and into the DHT. */
    void republish() {
        device.republish();
    }

    private static X509Certificate readCa(DeviceConfig.Broker b) throws CliException {
        try (InputStream in = Files.newInputStream(b.caPin().get())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException | ClassCastException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "broker.ca " + b.caPin().get() + " is not a PEM X.509 certificate: "
                    + e.getMessage());
        }
    }

    private static BareJid bare(String jid) throws CliException {
        try {
            return JidCreate.bareFrom(jid);
        } catch (XmppStringprepException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "'" + jid + "' is not a JID: " + e.getMessage());
        }
    }

    @Override
    public String jid() {
        return device.jid().toString();
    }

    @Override
    public List<PeerView> peers() {
        List<PeerView> out = new ArrayList<>();
        for (PeerInfo p : device.directory().all()) {
            String bareJid = p.jid().contains("/") ? p.jid().substring(0, p.jid().indexOf('/')) : p.jid();
            String name = config.allowList().stream().filter(a -> a.jid().map(j -> j.equalsIgnoreCase(bareJid)
                            || j.equalsIgnoreCase(p.jid())).orElse(false)).findFirst()
                    .map(a -> "allow-list '" + a.name() + "'").orElse(null);
            out.add(PeerView.of(p, name));
        }
        return out;
    }

    @Override
    public boolean sees(String jid) {
        return device.peer(jid).flatMap(PeerInfo::e2eKeys).isPresent();
    }

    @Override
    public DeliveryPath send(String to, String text, Duration timeout) throws CliException, InterruptedException {
        Message message;
        try {
            message = StanzaBuilder.buildMessage().to(JidCreate.from(to)).ofType(Message.Type.chat).setBody(text).build();
        } catch (XmppStringprepException e) {
            throw new CliException(ExitCodes.USAGE, "'" + to + "' is not a JID: " + e.getMessage());
        }
        try {
            Delivery d = device.send(message).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return d.path();
        } catch (TimeoutException e) {
            throw new CliException(ExitCodes.PEER_UNREACHABLE, "no receipt from " + to + " within " + timeout.toSeconds()
                    + " s; check that it is online and subscribed to us, then try again" + whileOffline(), e);
        } catch (ExecutionException e) {
            throw new CliException(ExitCodes.PEER_UNREACHABLE, "cannot deliver to " + to + ": " + e.getCause().getMessage()
                    + "; check that it is online, that each of you allowed the other (peer.NAME.jid) and try again"
                    + whileOffline(), e.getCause());
        }
    }

    /** What a failed send adds while the broker is down: only offer contacts are reachable then. */
    private String whileOffline() {
        return device.online() ? "" : " (the broker is down: only peers whose offers both of you imported, "
                + "peer.NAME.offer, with dht.port set on both, are reached, through the DHT)";
    }

    @Override
    public Map<String, String> links() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Link> e : device.links().entrySet()) {
            Link l = e.getValue();
            out.put(e.getKey(), "direct " + l.direction().name().toLowerCase() + " "
                    + DeviceConfigFile.endpoint(l.localAddress()) + " -> " + DeviceConfigFile.endpoint(l.remoteAddress()));
        }
        return out;
    }

    @Override
    public List<InetSocketAddress> linkEndpoints() {
        P2pElement p2p = device.endpoints();
        if (p2p == null || directAddress.isEmpty()) {
            return List.of();
        }
        return List.of(new InetSocketAddress(directAddress.get(), p2p.locPort()));
    }

    @Override
    public E2eElement e2eKeys() {
        return device.e2e().e2eElement();
    }

    @Override
    public void externalEndpoint(Optional<InetSocketAddress> external) {
        device.setExternalEndpoint(external.orElse(null));
    }

    @Override
    public void close() {
        device.close();
    }
}
