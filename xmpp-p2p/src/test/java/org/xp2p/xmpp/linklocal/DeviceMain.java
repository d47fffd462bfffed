package org.xp2p.xmpp.linklocal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.mdns.PresenceListener;
import org.xp2p.discovery.mdns.PresenceStatus;
import org.xp2p.xmpp.StanzaProtector;
import org.xp2p.xmpp.link.LinkConfig;
import org.xp2p.xmpp.secure.E2eStanzaProtector;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eMode;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import java.util.HexFormat;

/**
 * A child-JVM device for namespace tests and the benchmark: a {@link LinkLocalDevice} on
 * the address given, printing events as lines and obeying commands on stdin.
 *
 * <p>Arguments: {@code INSTANCE ADDRESS [KEEPALIVE_MS IDLE_MS [secured:OWN_SEED_HEX:ALLOWED_PUB_HEX]]}:
 * with the last one the device runs in secured mode with that identity and allow-list. Commands:
 * {@code send TO BODY}, {@code iq TO}, {@code status STATUS MESSAGE}, {@code quit}.
 * Output: {@code READY}, {@code PEER_ADDED}, {@code PEER_UPDATED}, {@code PEER_REMOVED},
 * {@code MESSAGE FROM PATH PROTECTED BODY}, {@code IQ_RESULT}, {@code LINK_CLOSED PEER REASON}.
 */
public final class DeviceMain {
    private DeviceMain() {
    }

    public static void main(String[] args) throws Exception {
        LinkConfig config = LinkConfig.defaults(InetAddress.getByName(args[1]));
        if (args.length >= 4) {
            config = config.withKeepAlive(Duration.ofMillis(Long.parseLong(args[2])), Duration.ofMillis(Long.parseLong(args[3])));
        }
        StanzaProtector protector = StanzaProtector.PLAIN;
        if (args.length >= 5 && args[4].startsWith("secured:")) {
            String[] parts = args[4].split(":");
            java.security.SecureRandom random = new java.security.SecureRandom();
            E2eEndpoint endpoint = new E2eEndpoint(new LocalKeyRing(java.util.EnumSet.of(KeyType.ED25519, KeyType.P256),
                    128, random), E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E), random);
            protector = new E2eStanzaProtector(endpoint, IdentityKey.fromSeed(HexFormat.of().parseHex(parts[1])),
                    java.util.List.of(HexFormat.of().parseHex(parts[2])));
        }
        LinkLocalDevice device = LinkLocalDevice.builder(args[0], config.bindAddress())
                .linkConfig(config)
                .protector(protector)
                .handler(new PrintingHandler())
                .presenceListener(new PresenceListener() {
                    @Override
                    public void peerAdded(PeerInfo peer) {
                        System.out.println("PEER_ADDED " + peer.jid() + " " + peer.localEndpoints() + " " + peer.attributes());
                    }

                    @Override
                    public void peerUpdated(PeerInfo peer) {
                        System.out.println("PEER_UPDATED " + peer.jid() + " " + peer.localEndpoints() + " "
                                + peer.attributes());
                    }

                    @Override
                    public void peerRemoved(String instance) {
                        System.out.println("PEER_REMOVED " + instance);
                    }
                })
                .start();
        device.addLinkClosedListener((link, reason) -> System.out.println("LINK_CLOSED " + link.peer() + " " + reason));
        System.out.println("READY " + device.instance() + " " + device.port());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.split(" ", 3);
            try {
                switch (w[0]) {
                    case "send" -> {
                        Message m = StanzaBuilder.buildMessage().to(JidCreate.from(w[1])).ofType(Message.Type.chat)
                                .setBody(w[2]).build();
                        device.send(m).get(30, TimeUnit.SECONDS);
                        System.out.println("SENT " + w[1]);
                    }
                    case "iq" -> {
                        IQ answer = device.sendIq(new Version(JidCreate.from(w[1]))).get(30, TimeUnit.SECONDS);
                        if (answer instanceof Version v) {
                            System.out.println("IQ_RESULT " + answer.getFrom() + " " + v.getName() + " " + v.getOs());
                        } else {
                            System.out.println("IQ_RESULT " + answer.getFrom() + " " + answer.getType());
                        }
                    }
                    case "status" -> {
                        device.updateStatus(PresenceStatus.fromTxt(w[1]).orElseThrow(), w[2]);
                        System.out.println("STATUS_SENT");
                    }
                    case "quit" -> {
                        device.close();
                        System.out.println("BYE");
                        return;
                    }
                    default -> System.out.println("UNKNOWN " + line);
                }
            } catch (Exception e) {
                System.out.println("FAILED " + w[0] + " " + e);
            }
        }
        device.close();
    }
}
