package org.xp2p.xmpp.linklocal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.dht.ContactOffer;
import org.xp2p.discovery.dht.DhtConfig;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.discovery.mdns.PresenceListener;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eMode;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.xmpp.secure.E2eStanzaProtector;

/**
 * A child-JVM secured device with a DHT node, for namespace tests. Arguments:
 * {@code INSTANCE ADDRESS OWN_SEED_HEX MDNS(on|off) DHT_PORT DHT_SEED(ip:port) OFFER_FILE...}:
 * the device allows and has as contacts the identities of the armoured offers in the files.
 * Prints {@code READY INSTANCE PORT}, {@code PUBLISHED STORED}, {@code PEER_ADDED JID}
 * (mDNS), {@code MESSAGE FROM PATH PROTECTED BODY}, {@code IQ_RESULT FROM NAME OS},
 * {@code SENT TO}, {@code FAILED ...}; commands {@code send TO BODY}, {@code iq TO}, {@code quit}.
 */
public final class DhtDeviceMain {
    private DhtDeviceMain() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress address = InetAddress.getByName(args[1]);
        IdentityKey id = IdentityKey.fromSeed(HexFormat.of().parseHex(args[2]));
        boolean mdns = args[3].equals("on");
        DhtConfig dhtConfig = DhtDirectLinkTest.dhtConfig();
        DhtNode node = DhtNode.openUdp(dhtConfig, NodeIdentity.of(id.privateKey(), dhtConfig.puzzleDifficultyBits()),
                new InetSocketAddress(address, Integer.parseInt(args[4])));
        String[] seed = args[5].split(":");
        node.bootstrap(List.of(new InetSocketAddress(InetAddress.getByName(seed[0]), Integer.parseInt(seed[1]))))
                .get(30, TimeUnit.SECONDS);
        SecureRandom random = new SecureRandom();
        E2eEndpoint endpoint = new E2eEndpoint(new LocalKeyRing(EnumSet.of(KeyType.ED25519, KeyType.P256), 128, random),
                E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E), random);
        List<ContactOffer> offers = new java.util.ArrayList<>();
        for (int i = 6; i < args.length; i++) {
            offers.add(ContactOffer.parse(Files.readString(Path.of(args[i]))));
        }
        E2eStanzaProtector protector = new E2eStanzaProtector(endpoint, id,
                offers.stream().map(ContactOffer::identityKey).toList());
        LinkLocalDevice.Builder builder = LinkLocalDevice.builder(args[0], address).mdns(mdns).dht(node)
                .protector(protector)
                .handler(new PrintingHandler())
                .presenceListener(new PresenceListener() {
                    @Override
                    public void peerAdded(PeerInfo peer) {
                        System.out.println("PEER_ADDED " + peer.jid());
                    }

                    @Override
                    public void peerUpdated(PeerInfo peer) {
                    }

                    @Override
                    public void peerRemoved(String instance) {
                    }
                });
        offers.forEach(builder::contact);
        LinkLocalDevice device = builder.start();
        System.out.println("READY " + device.instance() + " " + device.port());
        System.out.println("PUBLISHED " + device.dht().orElseThrow().published().get(30, TimeUnit.SECONDS).stored());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.split(" ", 3);
            try {
                switch (w[0]) {
                    case "send" -> {
                        device.send(StanzaBuilder.buildMessage().to(JidCreate.from(w[1])).ofType(Message.Type.chat)
                                .setBody(w[2]).build()).get(30, TimeUnit.SECONDS);
                        System.out.println("SENT " + w[1]);
                    }
                    case "iq" -> {
                        IQ answer = device.sendIq(new Version(JidCreate.from(w[1]))).get(30, TimeUnit.SECONDS);
                        System.out.println("IQ_RESULT " + answer.getFrom() + " "
                                + (answer instanceof Version v ? v.getName() + " " + v.getOs() : answer.getType()));
                    }
                    case "quit" -> {
                        device.close();
                        node.close();
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
        node.close();
    }
}
