package org.xp2p.xmpp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.routing.Delivery;
import org.xp2p.xmpp.routing.RouterConfig;

/**
 * The broker path's order across the receiver's lost connection, on a Prosody with stream
 * management (mod_smacks, on in Debian's default configuration). Without it, what Prosody
 * wrote into alice's dying connection is lost unseen while later messages wait for her in
 * offline storage, so a resent copy arrives after them (the Router's javadoc says so; this
 * same test fails on a Prosody without mod_smacks). With it, alice's Smack resumes the
 * session and Prosody sends again what she had not acknowledged, in order.
 */
class BrokerStreamManagementTest {
    private static final int ROUNDS = 5;
    private static final int MESSAGES = 300;

    private static ProsodyServer prosody;
    private static Device alice;
    private static Device carol;
    private static final RecordingHandler aliceInbox = new RecordingHandler();

    @BeforeAll
    static void start() throws Exception {
        prosody = ProsodyServer.startOnLoopbackWithStreamManagement();
        for (String user : List.of("alice", "carol")) {
            Accounts.register(prosody.address(), prosody.port(), user);
        }
        BareJid a = JidCreate.bareFrom("alice@localhost");
        alice = device("alice", SubscriptionPolicy.autoAcceptFrom(Set.of(JidCreate.bareFrom("carol@localhost"))));
        carol = device("carol", SubscriptionPolicy.allowList(Set.of(a)));
        carol.subscribe(a);
        Waits.until("alice and carol see each other's <e2e/>", 30,
                () -> alice.peer(carol.jid().toString()).flatMap(p -> p.e2eKeys()).isPresent()
                        && carol.peer(alice.jid().toString()).flatMap(p -> p.e2eKeys()).isPresent());
    }

    /** Broker only; a retry period longer than the test, so only the mechanisms under test resend. */
    private static Device device(String user, SubscriptionPolicy policy) throws Exception {
        return Device.builder(Accounts.config(prosody.address(), prosody.port(), user)).subscriptions(policy)
                .handler(user.equals("alice") ? aliceInbox : new RecordingHandler())
                .router(RouterConfig.defaults().withTimes(Duration.ofSeconds(5), Duration.ofSeconds(60),
                        Duration.ofSeconds(120), Duration.ofSeconds(1)))
                .start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {alice, carol, prosody}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
    }

    @Test
    void aBurstAcrossTheReceiversLostConnectionArrivesOnceAndInOrderAfterItResumes() throws Exception {
        burstsAcrossALostConnectionOf(alice, "receiver");
    }

    /**
     * A resumed stream is the same session: the contacts' presence the sender had still
     * holds (Prosody does not send it again), and what the sender wrote before the cut Smack
     * sends again itself.
     */
    @Test
    void aBurstAcrossTheSendersLostConnectionArrivesOnceAndInOrderAfterItResumes() throws Exception {
        burstsAcrossALostConnectionOf(carol, "sender");
    }

    private static void burstsAcrossALostConnectionOf(Device cut, String role) throws Exception {
        int resumedBefore = resumptions();
        for (int round = 0; round < ROUNDS; round++) {
            String prefix = role + round + ":";
            List<CompletableFuture<Delivery>> sends = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                if (i == MESSAGES / 3) {
                    cut.dropBrokerConnection(); // TCP gone without a goodbye; back after about 200 ms
                }
                sends.add(carol.send(StanzaBuilder.buildMessage().to(alice.jid()).setBody(prefix + i).build()));
                if (i >= 2 * MESSAGES / 3) {
                    Thread.sleep(5); // past alice's return
                }
            }
            for (CompletableFuture<Delivery> f : sends) {
                assertEquals(DeliveryPath.BROKER, f.get(30, TimeUnit.SECONDS).path());
            }
            assertEquals(IntStream.range(0, MESSAGES).boxed().toList(), aliceInbox.numbersAfter(prefix),
                    role + " cut, round " + round + ": each once, in order");
        }
        int resumed = resumptions() - resumedBefore;
        assertTrue(resumed >= ROUNDS, "the " + role + " resumed its session each time: " + resumed + " resumptions");
    }

    private static int resumptions() {
        Matcher resumed = Pattern.compile("mod_smacks session resumed").matcher(prosody.fileLog());
        int n = 0;
        while (resumed.find()) {
            n++;
        }
        return n;
    }
}
