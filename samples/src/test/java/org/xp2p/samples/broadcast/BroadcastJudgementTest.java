package org.xp2p.samples.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.api.Test;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.DeliveryPath;

/**
 * A receiver's judgement without a network: messages are handed to the node as its device
 * would hand them over (no relay, no webhook, so no device is needed).
 */
class BroadcastJudgementTest {
    private static final String ORIGIN = "a@x";
    private final IdentityKey originKey = IdentityKey.generate(new SecureRandom());
    private final BroadcastNode node = new BroadcastNode(IdentityKey.generate(new SecureRandom()),
            Map.of(ORIGIN, originKey.publicKey()), false, null, Duration.ofMinutes(5), Clock.systemUTC());

    private Verdict judge(SignedBroadcast b) {
        Message m = StanzaBuilder.buildMessage().addExtension(StandardExtensionElement.builder("broadcast",
                        BroadcastNode.NAMESPACE).addAttribute("origin", b.origin())
                        .addAttribute("seq", Long.toString(b.sequence())).addAttribute("time", Long.toString(b.timeMillis()))
                        .addAttribute("sig", Base64.getEncoder().encodeToString(b.signature())).setText(b.text()).build())
                .build();
        node.onMessage(m, new Arrival(DeliveryPath.LINK_LOCAL, "r@x", true));
        List<BroadcastNode.Event> events = node.events();
        return events.get(events.size() - 1).verdict();
    }

    private SignedBroadcast signed(long sequence) {
        return SignedBroadcast.sign(ORIGIN, originKey, sequence, System.currentTimeMillis(), "n" + sequence);
    }

    @Test
    void aSequenceForgottenToBoundMemoryIsStillRefused() {
        int n = BroadcastNode.REMEMBERED_PER_ORIGIN + 1;
        for (long s = 1; s <= n; s++) {
            assertEquals(Verdict.ACCEPTED, judge(signed(s)), "sequence " + s);
        }
        // sequence 1 fell out of the remembered set; the floor still refuses it, and anything below it
        assertEquals(Verdict.DUPLICATE, judge(signed(1)));
        assertEquals(Verdict.DUPLICATE, judge(signed(n)));
        assertEquals(Verdict.ACCEPTED, judge(signed(n + 10)));
        // an unseen sequence above the floor but below the newest is still taken: copies may arrive out of order
        assertEquals(Verdict.ACCEPTED, judge(signed(n + 5)));
    }

    @Test
    void aBroadcastFromTheFutureBeyondTheWindowIsStale() {
        SignedBroadcast ahead = SignedBroadcast.sign(ORIGIN, originKey, 1,
                System.currentTimeMillis() + Duration.ofMinutes(6).toMillis(), "early");
        assertEquals(Verdict.STALE, judge(ahead));
        assertEquals(Verdict.ACCEPTED, judge(SignedBroadcast.sign(ORIGIN, originKey, 2,
                System.currentTimeMillis() + Duration.ofMinutes(4).toMillis(), "a little early")));
    }
}
