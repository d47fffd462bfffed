package org.xp2p.xmpp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.direct.DirectLinkConfig;
import org.xp2p.xmpp.routing.Delivery;
import org.xp2p.xmpp.routing.Response;

/**
 * Direct links over IPv6 (the reference implementation is IPv4 only): both devices publish
 * {@code ::1} in {@code <p2p/>}, authenticate each other's source address, and talk directly.
 */
class Ipv6DirectLinkTest {

    @Test
    void devicesPublishingIpv6EndpointsTalkOverADirectIpv6Link() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (ProsodyServer prosody = ProsodyServer.startOnLoopback()) {
            Accounts.register(prosody.address(), prosody.port(), "six");
            Accounts.register(prosody.address(), prosody.port(), "seven");
            RecordingHandler inbox = new RecordingHandler();
            try (Device six = Device.builder(Accounts.config(prosody.address(), prosody.port(), "six"))
                            .subscriptions(SubscriptionPolicy.allowList(Set.of(JidCreate.bareFrom("seven@localhost"))))
                            .directLinks(DirectLinkConfig.on(v6)).handler(new RecordingHandler()).start();
                    Device seven = Device.builder(Accounts.config(prosody.address(), prosody.port(), "seven"))
                            .subscriptions(SubscriptionPolicy.allowList(Set.of(JidCreate.bareFrom("six@localhost"))))
                            .directLinks(DirectLinkConfig.on(v6)).handler(inbox).start()) {
                assertEquals(v6, InetAddress.getByName(six.endpoints().extIp()));
                six.subscribe(seven.jid().asBareJid());
                Waits.until("each sees the other's IPv6 <p2p/>", 30,
                        () -> BrokerAndDirectLinksTest.knows(six, seven) && BrokerAndDirectLinksTest.knows(seven, six));

                Delivery d = six.send(StanzaBuilder.buildMessage().to(seven.jid()).setBody("over v6").build())
                        .get(30, TimeUnit.SECONDS);
                assertEquals(DeliveryPath.DIRECT_LINK, d.path());
                RecordingHandler.Received r = inbox.await(m -> "over v6".equals(m.message().getBody()), 30);
                assertEquals(DeliveryPath.DIRECT_LINK, r.arrival().path());
                assertTrue(six.link(seven.jid().toString()).orElseThrow().remoteAddress().getAddress() instanceof Inet6Address);
                Response answer = seven.request(new Ping(six.jid())).get(30, TimeUnit.SECONDS);
                assertEquals(IQ.Type.result, answer.iq().getType());
                assertEquals(DeliveryPath.DIRECT_LINK, answer.path());
            }
        }
    }
}
