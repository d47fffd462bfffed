package org.xp2p.xmpp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.testbed.EjabberdServer;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.direct.DirectLinkConfig;
import org.xp2p.xmpp.routing.Delivery;
import org.xp2p.xmpp.routing.Response;

/**
 * The device against a second broker written by others, ejabberd (Prosody is the first):
 * in-band registration, roster subscriptions, our {@code <p2p/>} and {@code <e2e/>}
 * carried in presence, direct links opened from them, and E2E messages and iqs over the
 * broker itself, each confirmed and reported with its path.
 */
class EjabberdInteropTest {
    private static EjabberdServer ejabberd;

    @BeforeAll
    static void start() {
        ejabberd = EjabberdServer.startOnLoopback();
    }

    @AfterAll
    static void stop() {
        if (ejabberd != null) {
            ejabberd.close();
        }
    }

    private static Device.Builder device(String user, String contact) throws Exception {
        Accounts.register(ejabberd.address(), ejabberd.port(), user);
        return Device.builder(Accounts.config(ejabberd.address(), ejabberd.port(), user))
                .subscriptions(SubscriptionPolicy.allowList(Set.of(JidCreate.bareFrom(contact + "@localhost"))));
    }

    @Test
    void devicesMeetThroughEjabberdAndTalkOverADirectLink() throws Exception {
        RecordingHandler inbox = new RecordingHandler();
        try (Device ann = device("ann", "bob").directLinks(DirectLinkConfig.on(InetAddress.getByName("127.0.0.1")))
                        .handler(new RecordingHandler()).start();
                Device bob = device("bob", "ann").directLinks(DirectLinkConfig.on(InetAddress.getByName("127.0.0.2")))
                        .handler(inbox).start()) {
            ann.subscribe(bob.jid().asBareJid());
            Waits.until("each sees the other's <p2p/> and <e2e/> through ejabberd", 30,
                    () -> BrokerAndDirectLinksTest.knows(ann, bob) && BrokerAndDirectLinksTest.knows(bob, ann),
                    ejabberd::log);

            Delivery sent = ann.send(StanzaBuilder.buildMessage().to(bob.jid()).setBody("direct").build())
                    .get(30, TimeUnit.SECONDS);
            assertEquals(DeliveryPath.DIRECT_LINK, sent.path());
            RecordingHandler.Received got = inbox.await(r -> "direct".equals(r.message().getBody()), 30);
            assertEquals(DeliveryPath.DIRECT_LINK, got.arrival().path());
            assertTrue(got.arrival().protectedByE2e());

            Response answer = bob.request(new Ping(ann.jid())).get(30, TimeUnit.SECONDS);
            assertEquals(IQ.Type.result, answer.iq().getType());
            assertEquals(DeliveryPath.DIRECT_LINK, answer.path());
        }
    }

    @Test
    void devicesWithoutDirectLinksTalkEndToEndEncryptedThroughEjabberd() throws Exception {
        RecordingHandler inbox = new RecordingHandler();
        try (Device cid = device("cid", "dee").handler(new RecordingHandler()).start();
                Device dee = device("dee", "cid").handler(inbox).start()) {
            cid.subscribe(dee.jid().asBareJid());
            Waits.until("each sees the other's <e2e/> through ejabberd", 30,
                    () -> cid.peer(dee.jid().toString()).flatMap(p -> p.e2eKeys()).isPresent()
                            && dee.peer(cid.jid().toString()).flatMap(p -> p.e2eKeys()).isPresent(),
                    ejabberd::log);

            for (int i = 0; i < 20; i++) {
                Delivery sent = cid.send(StanzaBuilder.buildMessage().to(dee.jid()).setBody("broker " + i).build())
                        .get(30, TimeUnit.SECONDS);
                assertEquals(DeliveryPath.BROKER, sent.path(), "message " + i);
            }
            for (int i = 0; i < 20; i++) {
                String body = "broker " + i;
                RecordingHandler.Received got = inbox.await(r -> body.equals(r.message().getBody()), 30);
                assertEquals(DeliveryPath.BROKER, got.arrival().path());
                assertTrue(got.arrival().protectedByE2e(), body + " arrived without E2E");
            }
            assertEquals(20, inbox.messages().size(), "each message exactly once");

            Response answer = dee.request(new Ping(cid.jid())).get(30, TimeUnit.SECONDS);
            assertEquals(IQ.Type.result, answer.iq().getType());
            assertEquals(DeliveryPath.BROKER, answer.path());
        }
    }
}
