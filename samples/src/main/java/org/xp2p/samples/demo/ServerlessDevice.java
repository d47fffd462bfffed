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
import org.jivesoftware.smack.packet.Message;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eMode;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.link.Link;
import org.xp2p.xmpp.linklocal.LinkLocalDevice;
import org.xp2p.xmpp.secure.E2eStanzaProtector;

/**
 * A party on the serverless path: a secured XEP-0174 device on 127.0.0.1 that announces
 * itself with mDNS, talks only to the identity keys on its allow-list and encrypts and
 * signs every stanza end to end.
 */
final class ServerlessDevice implements DemoDevice {
    private final Party party;
    private final LinkLocalDevice device;

    private ServerlessDevice(Party party, LinkLocalDevice device) {
        this.party = party;
        this.device = device;
    }

    static ServerlessDevice start(Party party, String runId, InetAddress loopback, IdentityKey identity,
                                  Collection<byte[]> allowList, StanzaHandler inbox) throws IOException {
        SecureRandom random = new SecureRandom();
        E2eEndpoint endpoint = new E2eEndpoint(new LocalKeyRing(EnumSet.of(KeyType.ED25519, KeyType.P256), 128, random),
                E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E), random);
        LinkLocalDevice device = LinkLocalDevice.builder(party.user() + "@cars-" + runId, loopback)
                .hostName(party.user() + "-" + runId)
                .protector(new E2eStanzaProtector(endpoint, identity, allowList))
                .handler(inbox)
                .start();
        return new ServerlessDevice(party, device);
    }

    LinkLocalDevice device() {
        return device;
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
            lines.add(EventInbox.sender(e.getKey()) + " (link-local, " + l.direction().name().toLowerCase() + ", "
                    + l.remoteAddress() + ")");
        }
        return lines;
    }

    @Override
    public void close() {
        device.close();
    }
}
