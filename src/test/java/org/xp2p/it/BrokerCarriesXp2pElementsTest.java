package org.xp2p.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.InvalidExtension;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.schemas.smack.PublishedKey;
import org.xp2p.schemas.smack.Xp2pProviders;
import org.xp2p.testbed.ProsodyServer;

/**
 * Our elements on the real wire: one Smack client publishes {@code <e2e/>} and
 * {@code <p2p/>} in presence through a real Prosody, a subscribed contact receives them as
 * typed objects; an invalid element costs the contact nothing but that element.
 */
class BrokerCarriesXp2pElementsTest {
    private static final long WAIT_SECONDS = 20;

    private static ProsodyServer prosody;
    private static XMPPTCPConnection car;
    private static XMPPTCPConnection owner;
    private static final BlockingQueue<Stanza> received = new LinkedBlockingQueue<>();

    @BeforeAll
    static void brokerAndTwoSubscribedClients() throws Exception {
        Xp2pProviders.register();
        prosody = ProsodyServer.startOnLoopback();
        car = BrokerClients.registerAndLogin(prosody, "car", "device");
        owner = BrokerClients.registerAndLogin(prosody, "owner", "phone");
        Roster.getInstanceFor(car).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        owner.addAsyncStanzaListener(received::add, new StanzaTypeFilter(Presence.class));
        owner.addAsyncStanzaListener(received::add, new StanzaTypeFilter(Message.class));
        Roster.getInstanceFor(owner).createItemAndRequestSubscription(car.getUser().asBareJid(), "car", null);
        Roster ownerRoster = Roster.getInstanceFor(owner);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!ownerRoster.iAmSubscribedTo(car.getUser().asBareJid())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("subscription was not approved; Prosody log:\n" + prosody.log());
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        if (car != null) {
            car.disconnect();
        }
        if (owner != null) {
            owner.disconnect();
        }
        if (prosody != null) {
            prosody.close();
        }
    }

    @Test
    void aSubscribedContactReceivesKeysAndEndpointsAsTypedElements() throws Exception {
        E2eElement keys = allKeyTypes();
        P2pElement endpoints = new P2pElement("203.0.113.5", 40000, "10.77.0.1", 40001);
        car.sendStanza(car.getStanzaFactory().buildPresenceStanza()
                .ofType(Presence.Type.available)
                .setStatus("keys")
                .addExtension(keys)
                .addExtension(endpoints)
                .build());

        Presence presence = nextFromCar(Presence.class, p -> "keys".equals(p.getStatus()));
        assertEquals(keys, E2eElement.in(presence).orElseThrow());
        assertEquals(endpoints, P2pElement.in(presence).orElseThrow());
        assertTrue(InvalidExtension.in(presence).isEmpty());
    }

    @Test
    void anInvalidElementFromAPeerDoesNotCloseTheReceiversConnection() throws Exception {
        String ns = E2eElement.NAMESPACE;
        StandardExtensionElement badKeys = StandardExtensionElement.builder("e2e", ns)
                .addElement(StandardExtensionElement.builder("p256", ns).addAttribute("pub", "AAAA").build())
                .build();
        car.sendStanza(car.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available)
                .setStatus("bad keys").addExtension(badKeys).build());

        Presence presence = nextFromCar(Presence.class, p -> "bad keys".equals(p.getStatus()));
        List<InvalidExtension> invalid = InvalidExtension.in(presence);
        assertEquals(1, invalid.size());
        assertEquals("p256", invalid.get(0).violation().element());
        assertEquals("pub", invalid.get(0).violation().attribute());

        car.sendStanza(car.getStanzaFactory().buildMessageStanza().to(owner.getUser()).setBody("still there?").build());
        Message message = nextFromCar(Message.class, m -> true);
        assertEquals("still there?", message.getBody());
        assertTrue(owner.isConnected() && owner.isAuthenticated());
    }

    private static E2eElement allKeyTypes() {
        java.util.Random random = new java.util.Random(7);
        List<PublishedKey> keys = new java.util.ArrayList<>();
        for (KeyType type : KeyType.values()) {
            byte[] pub;
            if (type == KeyType.RSA) {
                pub = new byte[2 + 256 + 3];
                random.nextBytes(pub);
                pub[0] = 0;
                pub[1] = 8;
                pub[2] |= (byte) 0x80;
            } else {
                pub = new byte[type.pubOctets()];
                random.nextBytes(pub);
            }
            keys.add(new PublishedKey(type, pub));
        }
        return E2eElement.of(keys);
    }

    /**
     * The next stanza of {@code type} from the car that {@code wanted} accepts. Others are
     * skipped: Smack's own presence at login may arrive after the subscription is approved.
     */
    private static <S extends Stanza> S nextFromCar(Class<S> type, java.util.function.Predicate<S> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            long left = deadline - System.nanoTime();
            Stanza s = received.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new AssertionError("no " + type.getSimpleName() + " from the car within " + WAIT_SECONDS
                        + " s; Prosody log:\n" + prosody.log());
            }
            if (type.isInstance(s) && s.getFrom() != null && s.getFrom().equals(car.getUser())
                    && wanted.test(type.cast(s))) {
                return type.cast(s);
            }
        }
    }
}
