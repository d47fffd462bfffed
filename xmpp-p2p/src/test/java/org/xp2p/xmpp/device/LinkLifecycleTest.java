package org.xp2p.xmpp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.direct.DirectLinkConfig;
import org.xp2p.xmpp.link.Link;

/** A direct link opens on demand, is reused while in use, closes when idle, and reopens on the next send. */
class LinkLifecycleTest {

    @Test
    void aLinkIsReusedClosedWhenIdleAndReopenedOnDemand() throws Exception {
        try (ProsodyServer prosody = ProsodyServer.startOnLoopback()) {
            Accounts.register(prosody.address(), prosody.port(), "left");
            Accounts.register(prosody.address(), prosody.port(), "right");
            DirectLinkConfig base = DirectLinkConfig.on(InetAddress.getByName("127.0.0.1"))
                    .withIdleClose(Duration.ofSeconds(1));
            try (Device left = Device.builder(Accounts.config(prosody.address(), prosody.port(), "left"))
                            .subscriptions(SubscriptionPolicy.allowList(Set.of(JidCreate.bareFrom("right@localhost"))))
                            .directLinks(base).start();
                    Device right = Device.builder(Accounts.config(prosody.address(), prosody.port(), "right"))
                            .subscriptions(SubscriptionPolicy.allowList(Set.of(JidCreate.bareFrom("left@localhost"))))
                            .directLinks(DirectLinkConfig.on(InetAddress.getByName("127.0.0.4"))
                                    .withIdleClose(Duration.ofMinutes(5)))
                            .handler(new RecordingHandler()).start()) {
                left.subscribe(right.jid().asBareJid());
                Waits.until("contacts see each other", 30,
                        () -> BrokerAndDirectLinksTest.knows(left, right) && BrokerAndDirectLinksTest.knows(right, left));
                String peer = right.jid().toString();

                for (int i = 0; i < 3; i++) {
                    assertEquals(DeliveryPath.DIRECT_LINK, left.send(StanzaBuilder.buildMessage().to(right.jid())
                            .setBody("m" + i).build()).get(30, TimeUnit.SECONDS).path());
                }
                assertEquals(1, left.stats().routing().linksOpened(), "one link, reused");
                Link first = left.link(peer).orElseThrow();
                assertEquals(2, right.decryptionLanes(), "the broker's lane and one for left's link");

                Waits.until("the idle link closes (on both sides)", 30,
                        () -> left.links().isEmpty() && right.links().isEmpty());
                assertTrue(first.closeReason().contains("idle"), first.closeReason());
                Waits.until("right drops the lane of a peer without links", 30, () -> right.decryptionLanes() == 1);

                assertEquals(DeliveryPath.DIRECT_LINK, left.send(StanzaBuilder.buildMessage().to(right.jid())
                        .setBody("again").build()).get(30, TimeUnit.SECONDS).path());
                assertEquals(2, left.stats().routing().linksOpened(), "a new link on demand");
            }
        }
    }
}
