package org.xp2p.samples.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jivesoftware.smack.packet.Message;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eMode;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.link.Link;
import org.xp2p.xmpp.linklocal.DhtPeers;
import org.xp2p.xmpp.linklocal.LinkLocalDevice;
import org.xp2p.xmpp.secure.E2eStanzaProtector;

/**
 * A party on the serverless path: a secured XEP-0174 device on 127.0.0.1 that talks only
 * to the identity keys on its allow-list and encrypts and signs every stanza end to end.
 * Parties on the cars' LAN announce themselves with mDNS; the one that is not (the
 * security company) has mDNS off and is found, and finds the cars, only through the
 * signed presence records every device mirrors into the DHT.
 */
final class ServerlessDevice implements DemoDevice {
    private final Party party;
    private final LinkLocalDevice device;

    private ServerlessDevice(Party party, LinkLocalDevice device) {
        this.party = party;
        this.device = device;
    }

    /**
     * @param dht         the party's own DHT node (same identity key), where the device mirrors
     *                    its presence and looks its contacts up
     * @param contacts    identity keys of the parties it reaches, or is reached by, through the DHT
     */
    static ServerlessDevice start(Party party, String runId, InetAddress loopback, IdentityKey identity,
                                  Collection<byte[]> allowList, DhtNode dht, Collection<byte[]> contacts,
                                  StanzaHandler inbox) throws IOException {
        SecureRandom random = new SecureRandom();
        E2eEndpoint endpoint = new E2eEndpoint(new LocalKeyRing(EnumSet.of(KeyType.ED25519, KeyType.P256), 128, random),
                E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E), random);
        LinkLocalDevice.Builder b = LinkLocalDevice.builder(party.user() + "@cars-" + runId, loopback)
                .hostName(party.user() + "-" + runId)
                .protector(new E2eStanzaProtector(endpoint, identity, allowList))
                .mdns(party.onLan())
                .dht(dht)
                .handler(inbox);
        contacts.forEach(b::contact);
        return new ServerlessDevice(party, b.start());
    }

    /**
     * Whether this device has {@code other} in sight: on mDNS, or as a DHT contact with a
     * current record, looked up again when we have none yet (it may have published after
     * our first lookup).
     */
    @Override
    public boolean sees(DemoDevice other, byte[] otherIdentityKey) throws InterruptedException {
        if (party.onLan() && other.party().onLan()) {
            return device.peer(other.address()).isPresent();
        }
        DhtPeers dht = device.dht().orElseThrow();
        if (dht.peer(other.address()).isPresent()) {
            return true;
        }
        try {
            dht.refresh(otherIdentityKey).get(DhtPeers.LOOKUP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
        return dht.peer(other.address()).isPresent();
    }

    @Override
    public Party party() {
        return party;
    }

    @Override
    public String address() {
        return device.instance();
    }

    @Override
    public CompletableFuture<?> send(Message message) {
        return device.send(message);
    }

    @Override
    public List<String> links() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Link> e : device.links().entrySet()) {
            Link l = e.getValue();
            String peer = EventInbox.sender(e.getKey());
            String path = party.onLan() && Party.ofUser(peer).onLan() ? "link-local" : "direct";
            lines.add(peer + " (" + path + ", " + l.direction().name().toLowerCase(java.util.Locale.ROOT) + ", "
                    + l.remoteAddress() + ")");
        }
        return lines;
    }

    @Override
    public void close() {
        device.close();
    }
}
