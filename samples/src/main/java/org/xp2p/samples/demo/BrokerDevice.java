package org.xp2p.samples.demo;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.parts.Localpart;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.broker.BrokerConfig;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.device.Device;
import org.xp2p.xmpp.direct.DirectLinkConfig;
import org.xp2p.xmpp.link.Link;

/**
 * A party on the broker path: an xp2p {@link Device} logged in to the XMPP broker, which
 * accepts presence subscriptions only from the parties it authorises, publishes its
 * {@code <p2p/>} and {@code <e2e/>} in presence, and routes each stanza over a direct link
 * when it can and through the broker otherwise, end-to-end encrypted either way. Parties
 * on the cars' LAN accept direct links on 127.0.0.1; the security company does not, so its
 * events travel through the broker.
 */
final class BrokerDevice implements DemoDevice {
    private final Party party;
    private final Device device;

    private BrokerDevice(Party party, Device device) {
        this.party = party;
        this.device = device;
    }

    /** Where the broker is and how the demo logs in to it. */
    record Access(String domain, InetSocketAddress address, String runId) {
        String user(Party p) {
            return p.user() + "-" + runId;
        }

        String password(Party p) {
            return "demo-" + runId + "-" + p.user();
        }
    }

    /**
     * Registers the party's account in-band (XEP-0077) and starts its device.
     *
     * @throws IllegalStateException when the broker refuses registration, with what to do about it
     */
    static BrokerDevice start(Party party, Access access, InetAddress loopback, Set<BareJid> allowed,
                              StanzaHandler inbox) throws Exception {
        register(access, party);
        BrokerConfig config = BrokerConfig.plaintextForTests(access.domain(), access.address().getHostString(),
                access.address().getPort(), access.user(party), access.password(party), "car-demo");
        Device.Builder b = Device.builder(config).subscriptions(SubscriptionPolicy.allowList(allowed)).handler(inbox);
        if (party.onLan()) {
            b.directLinks(DirectLinkConfig.on(loopback));
        }
        return new BrokerDevice(party, b.start());
    }

    private static void register(Access access, Party party) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(access.domain()).setHost(access.address().getHostString())
                .setPort(access.address().getPort()).setSecurityMode(SecurityMode.disabled).build());
        try {
            c.connect();
            AccountManager accounts = AccountManager.getInstance(c);
            if (!accounts.supportsAccountCreation()) {
                throw new IllegalStateException("the broker at " + access.address() + " does not offer in-band "
                        + "registration (XEP-0077); enable it (Prosody: allow_registration = true) for the demo");
            }
            accounts.sensitiveOperationOverInsecureConnection(true);
            accounts.createAccount(Localpart.from(access.user(party)), access.password(party));
        } finally {
            c.disconnect();
        }
    }

    /** Asks {@code other} for a presence subscription; its policy decides. */
    void subscribe(BrokerDevice other) throws Exception {
        device.subscribe(other.device.jid().asBareJid());
    }

    @Override
    public Party party() {
        return party;
    }

    @Override
    public String address() {
        return device.jid().toString();
    }

    @Override
    public CompletableFuture<?> send(Message message) {
        return device.send(message);
    }

    /** Whether {@code other}'s presence, with its keys, has reached us. */
    @Override
    public boolean sees(DemoDevice other, byte[] otherIdentityKey) {
        return device.peer(other.address()).isPresent();
    }

    @Override
    public List<String> links() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Link> e : device.links().entrySet()) {
            Link l = e.getValue();
            lines.add(EventInbox.sender(e.getKey()) + " (direct, " + l.direction().name().toLowerCase(Locale.ROOT)
                    + ", " + l.remoteAddress() + ")");
        }
        return lines;
    }

    @Override
    public void close() {
        device.close();
    }
}
