package org.xp2p.xmpp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.receipts.DeliveryReceiptManager;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xp2p.e2e.E2eMode;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.xmpp.routing.Delivery;
import org.xp2p.xmpp.routing.RouterConfig;
import org.xp2p.xmpp.routing.SendFailedException;

/**
 * How a device's router sees a broker message through when its peer is away, against a
 * real Prosody without offline storage (a message to an account with no resource online
 * comes back as service-unavailable). The peer is frank, a plain Smack client that never
 * confirms a message and refuses one: devices that accept plaintext peers follow his
 * presence. gina has an account and is never online; nobody follows her.
 */
class BrokerRedeliveryTest {
    private static final Duration SHORT_RETRY = Duration.ofSeconds(1);
    private static final Duration SHORT_DEADLINE = Duration.ofSeconds(4);
    private static final String REFUSED = "refuse me";

    private static ProsodyServer prosody;
    private static XMPPTCPConnection frank;
    private static final List<String> frankGot = new ArrayList<>();
    /** Retries every second, gives up after four. */
    private static Device dana;
    private static final RecordingHandler danaInbox = new RecordingHandler();
    /** Retries over the broker only after a minute: what it sends sooner, something else made it send. */
    private static Device erin;

    @BeforeAll
    static void start() throws Exception {
        prosody = ProsodyServer.startOnLoopbackWithoutOfflineStorage();
        for (String user : List.of("frank", "gina", "dana", "erin")) {
            Accounts.register(prosody.address(), prosody.port(), user);
        }
        frank = Accounts.login(prosody.address(), prosody.port(), "frank", "desk");
        Roster.getInstanceFor(frank).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        DeliveryReceiptManager.getInstanceFor(frank).setAutoReceiptMode(DeliveryReceiptManager.AutoReceiptMode.disabled);
        frank.addAsyncStanzaListener(s -> {
            Message m = (Message) s;
            synchronized (frankGot) {
                frankGot.add(m.getBody());
            }
            if (REFUSED.equals(m.getBody())) {
                frank.sendStanza(StanzaBuilder.buildMessage(m.getStanzaId()).ofType(Message.Type.error)
                        .to(m.getFrom()).setError(StanzaError.getBuilder(StanzaError.Condition.not_acceptable).build())
                        .build());
            }
        }, s -> s instanceof Message m && m.getType() != Message.Type.error && m.getBody() != null);
        dana = device("dana", SHORT_RETRY, SHORT_DEADLINE, danaInbox);
        erin = device("erin", Duration.ofSeconds(60), Duration.ofSeconds(90), new RecordingHandler());
        BareJid f = frank.getUser().asBareJid();
        dana.subscribe(f);
        erin.subscribe(f);
        Waits.until("dana and erin see frank's presence", 30,
                () -> dana.peer(frank.getUser().toString()).isPresent() && erin.peer(frank.getUser().toString()).isPresent());
    }

    private static Device device(String user, Duration brokerRetry, Duration deadline, RecordingHandler inbox)
            throws Exception {
        return Device.builder(Accounts.config(prosody.address(), prosody.port(), user))
                .e2ePolicy(Device.defaultPolicy().withMode(E2eMode.ENCRYPT_IF_POSSIBLE))
                .router(RouterConfig.defaults().withTimes(Duration.ofSeconds(5), brokerRetry, deadline,
                        Duration.ofSeconds(1)))
                .handler(inbox).start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {dana, erin}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
        if (frank != null) {
            frank.disconnect();
        }
        if (prosody != null) {
            prosody.close();
        }
    }

    @Test
    void anErrorFromThePeerFailsTheSendWithItsConditionAtOnce() throws Exception {
        long started = System.nanoTime();
        SendFailedException e = failure(dana.send(message(frank.getUser(), REFUSED)));
        assertTrue(e.getMessage().contains("returned as an error: not-acceptable"), e.getMessage());
        assertTrue(System.nanoTime() - started < SHORT_DEADLINE.toNanos(), "failed by the error, not by the deadline");
        assertEquals(0, danaInbox.messages().size(), "the error was the router's, not the application's");
    }

    @Test
    void aMessageToAnAccountNobodyFollowsThatIsOfflineGoesAgainEachRetryPeriodUntilTheDeadline() throws Exception {
        SendFailedException e = failure(dana.send(message(JidCreate.entityFullFrom("gina@localhost/away"),
                "anyone there?")));
        Matcher m = Pattern.compile("after (\\d+) transmission").matcher(e.getMessage());
        assertTrue(m.find(), e.getMessage());
        int transmissions = Integer.parseInt(m.group(1));
        long most = SHORT_DEADLINE.toMillis() / SHORT_RETRY.toMillis() + 1;
        assertTrue(transmissions >= 2 && transmissions <= most, transmissions + " transmissions in "
                + SHORT_DEADLINE.toSeconds() + " s, expected 2 to " + most + ": Prosody returned each at once");
        assertEquals(0, danaInbox.messages().size(), "Prosody's errors were the router's, not the application's");
    }

    @Test
    void aMessageToAFollowedResourceThatIsNotOnlineWaitsForItAndFailsAtTheDeadlineUnsent() throws Exception {
        SendFailedException e = failure(dana.send(message(JidCreate.entityFullFrom("frank@localhost/elsewhere"),
                "are you there?")));
        assertTrue(e.getMessage().contains("after 0 transmission(s)")
                && e.getMessage().contains("(frank@localhost/elsewhere is not online there)"), e.getMessage());
        assertEquals(0, danaInbox.messages().size());
    }

    /**
     * frank got erin's message but did not confirm it, then reconnected: the message may
     * have been lost with his old connection, so erin sends it again as soon as he is
     * back, not a minute later.
     */
    @Test
    void anUnconfirmedMessageGoesAgainAsSoonAsThePeerIsBack() throws Exception {
        CompletableFuture<Delivery> send = erin.send(message(frank.getUser(), "while you were out"));
        Waits.until("frank has erin's message", 10, () -> count("while you were out") == 1);
        frank.disconnect();
        Waits.until("erin sees frank leave", 10, () -> erin.peer(frank.getUser().toString()).isEmpty());
        frank.connect().login(); // sends his presence again
        Waits.until("erin sent it again when frank came back", 10, () -> count("while you were out") == 2);
        assertTrue(!send.isDone(), "frank never confirms");
    }

    private static int count(String body) {
        synchronized (frankGot) {
            return (int) frankGot.stream().filter(body::equals).count();
        }
    }

    private static Message message(Jid to, String body) {
        return StanzaBuilder.buildMessage().to(to).setBody(body).build();
    }

    private static SendFailedException failure(CompletableFuture<Delivery> send) throws Exception {
        try {
            Delivery d = send.get(SHORT_DEADLINE.toSeconds() + 10, TimeUnit.SECONDS);
            throw new AssertionError("delivered although refused: " + d);
        } catch (ExecutionException e) {
            return assertInstanceOf(SendFailedException.class, e.getCause());
        }
    }
}
