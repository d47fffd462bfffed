package org.xp2p.samples.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.samples.common.LoopbackFleet;
import picocli.CommandLine;

/**
 * Signed broadcasts between real secured devices on loopback, each receiver posting to
 * its own path of one loopback webhook. Who knows whom:
 *
 * <pre>
 *   a ── r ── c ── m
 *         \  /
 *          d
 * </pre>
 *
 * r and d relay; everyone pins a's key; m is a contact of c that forges and replays.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BroadcastNodeTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Duration FRESHNESS = Duration.ofMinutes(5);
    private final SecureRandom random = new SecureRandom();
    private final Map<String, IdentityKey> keys = new LinkedHashMap<>();
    private final Map<String, BroadcastNode> nodes = new LinkedHashMap<>();
    private LoopbackWebhook webhook;
    private LoopbackFleet fleet;

    @BeforeAll
    void start() throws Exception {
        webhook = new LoopbackWebhook(r -> { });
        LoopbackFleet.Builder b = LoopbackFleet.builder("bcasttest");
        for (String name : List.of("a", "r", "c", "d", "m")) {
            keys.put(name, IdentityKey.generate(random));
        }
        Map<String, byte[]> pinned = Map.of(b.instanceOf("a"), keys.get("a").publicKey());
        for (String name : keys.keySet()) {
            boolean relay = name.equals("r") || name.equals("d");
            WebhookPoster poster = name.equals("a") || name.equals("m") ? null
                    : new WebhookPoster(webhook.uri("/" + name), BOUND);
            BroadcastNode node = new BroadcastNode(keys.get(name), name.equals("m") ? Map.of() : pinned, relay, poster,
                    FRESHNESS, Clock.systemUTC());
            nodes.put(name, node);
            b.device(name, keys.get(name), node);
        }
        b.contacts("r", "a", "c", "d").contacts("c", "d", "m");
        fleet = b.start();
        Map<String, List<String>> contacts = Map.of("a", List.of("r"), "r", List.of("a", "c", "d"),
                "c", List.of("r", "d", "m"), "d", List.of("r", "c"), "m", List.of("c"));
        contacts.forEach((name, theirs) -> nodes.get(name).attach(fleet.device(name),
                theirs.stream().map(fleet::instanceOf).toList()));
    }

    @AfterAll
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    private List<BroadcastNode.Event> eventsAbout(String node, String text) {
        return nodes.get(node).events().stream().filter(e -> e.broadcast() != null && e.broadcast().text().equals(text))
                .toList();
    }

    private BroadcastNode.Event awaitVerdict(String node, String text, Verdict verdict) throws InterruptedException {
        return nodes.get(node).awaitEvent(e -> e.broadcast() != null && e.broadcast().text().equals(text)
                && e.verdict() == verdict, BOUND).stream().filter(e -> e.broadcast() != null
                && e.broadcast().text().equals(text) && e.verdict() == verdict).findFirst()
                .orElseThrow(() -> new AssertionError(node + " never judged '" + text + "' " + verdict + ": "
                        + nodes.get(node).events()));
    }

    private List<String> awaitPosts(String path, String text, int count) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (webhook.posted(path, text).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return webhook.posted(path, text);
    }

    @Test
    void aRelayedBroadcastIsPostedExactlyOnceByEachReceiverAndDuplicatesAreDropped() throws Exception {
        String text = "storm warning " + UUID.randomUUID();
        BroadcastNode.Sent sent = nodes.get("a").broadcast(text, BOUND);
        assertEquals(List.of(fleet.instanceOf("r")), sent.sentTo());

        // c hears it from r and again from d, which relays what r relayed
        BroadcastNode.Event accepted = awaitVerdict("c", text, Verdict.ACCEPTED);
        // a is not c's contact: whichever copy came first, a relay brought it
        assertTrue(List.of(fleet.instanceOf("r"), fleet.instanceOf("d")).contains(accepted.from()), accepted.toString());
        awaitVerdict("c", text, Verdict.DUPLICATE);
        for (String receiver : List.of("r", "c", "d")) {
            List<String> posts = awaitPosts("/" + receiver, text, 1);
            assertEquals(1, posts.size(), receiver + " posted " + posts);
        }
        Thread.sleep(300); // room for a stray second post to show up
        assertEquals(1, webhook.posted("/c", text).size());
        assertEquals(List.of(Verdict.ACCEPTED, Verdict.DUPLICATE), eventsAbout("c", text).stream()
                .map(BroadcastNode.Event::verdict).toList());
        assertEquals(List.of(Verdict.ACCEPTED), eventsAbout("r", text).stream().map(BroadcastNode.Event::verdict).toList());
        assertEquals(List.of(), eventsAbout("a", text), "a relay sent the broadcast back to its origin");

        String post = webhook.posted("/c", text).get(0);
        assertTrue(post.startsWith("{\"origin\":\"" + fleet.instanceOf("a") + "\",\"sequence\":" + sent.broadcast().sequence()
                + ",\"time\":\""), post);
        assertTrue(post.endsWith(",\"text\":\"" + text + "\",\"receiver\":\"" + fleet.instanceOf("c") + "\",\"via\":\""
                + accepted.from() + "\"}"), post);
        assertEquals(1, nodes.get("c").posts().stream().filter(p -> p.broadcast().text().equals(text) && p.status() == 204)
                .count());
    }

    @Test
    void aReplayedBroadcastIsRejectedAndNotPosted() throws Exception {
        String text = "door unlocked " + UUID.randomUUID();
        SignedBroadcast original = nodes.get("a").broadcast(text, BOUND).broadcast();
        awaitVerdict("c", text, Verdict.ACCEPTED);
        awaitVerdict("c", text, Verdict.DUPLICATE); // d's relayed copy
        assertEquals(1, awaitPosts("/c", text, 1).size());

        nodes.get("m").sendTo(fleet.instanceOf("c"), original).get();
        String m = fleet.instanceOf("m");
        BroadcastNode.Event replay = nodes.get("c").awaitEvent(e -> m.equals(e.from()) && original.equals(e.broadcast()), BOUND)
                .stream().filter(e -> m.equals(e.from()) && original.equals(e.broadcast())).findFirst()
                .orElseThrow(() -> new AssertionError("c never judged m's replay: " + eventsAbout("c", text)));
        assertEquals(Verdict.DUPLICATE, replay.verdict());
        assertEquals(original.id() + " was seen already", replay.detail());

        // an old broadcast c never saw, genuinely signed by a: refused for its age
        String old = "old news " + UUID.randomUUID();
        SignedBroadcast stale = SignedBroadcast.sign(fleet.instanceOf("a"), keys.get("a"), 5,
                System.currentTimeMillis() - Duration.ofHours(1).toMillis(), old);
        nodes.get("m").sendTo(fleet.instanceOf("c"), stale).get();
        BroadcastNode.Event refused = awaitVerdict("c", old, Verdict.STALE);
        assertTrue(refused.detail().endsWith("s ago, outside the 300 s window"), refused.detail());

        Thread.sleep(300);
        assertEquals(1, webhook.posted("/c", text).size(), "the replay was posted");
        assertEquals(List.of(), webhook.posted("/c", old));
    }

    @Test
    void aForgedBroadcastIsRejectedAndNotPosted() throws Exception {
        String genuine = "valve closed " + UUID.randomUUID();
        SignedBroadcast signed = SignedBroadcast.sign(fleet.instanceOf("a"), keys.get("a"), 7_000_000_000_000L,
                System.currentTimeMillis(), genuine);
        String altered = "valve open " + UUID.randomUUID();
        nodes.get("m").sendTo(fleet.instanceOf("c"), signed.withText(altered)).get();
        BroadcastNode.Event forged = awaitVerdict("c", altered, Verdict.FORGED);
        assertEquals("the signature is not " + fleet.instanceOf("a") + "'s over this broadcast", forged.detail());

        String impostor = "from a, honest " + UUID.randomUUID();
        nodes.get("m").sendTo(fleet.instanceOf("c"), SignedBroadcast.sign(fleet.instanceOf("a"), keys.get("m"), 1,
                System.currentTimeMillis(), impostor)).get();
        awaitVerdict("c", impostor, Verdict.FORGED);

        String own = "m speaking " + UUID.randomUUID();
        nodes.get("m").sendTo(fleet.instanceOf("c"), SignedBroadcast.sign(fleet.instanceOf("m"), keys.get("m"), 1,
                System.currentTimeMillis(), own)).get();
        BroadcastNode.Event unknown = awaitVerdict("c", own, Verdict.UNKNOWN_ORIGIN);
        assertEquals("no key is pinned for origin " + fleet.instanceOf("m"), unknown.detail());

        Thread.sleep(300);
        for (String t : List.of(altered, impostor, own)) {
            assertEquals(List.of(), webhook.posted("/c", t), t + " was posted");
        }
    }

    @Test
    void aPayloadThatDoesNotValidateIsRejectedAsMalformed() throws Exception {
        long before = malformedAtC();
        SignedBroadcast shortSignature = new SignedBroadcast(fleet.instanceOf("a"), 1, System.currentTimeMillis(),
                "bad " + UUID.randomUUID(), new byte[10]);
        nodes.get("m").sendTo(fleet.instanceOf("c"), shortSignature).get();
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (malformedAtC() == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        BroadcastNode.Event malformed = nodes.get("c").events().stream().filter(e -> e.verdict() == Verdict.MALFORMED)
                .reduce((x, y) -> y).orElseThrow(() -> new AssertionError("no MALFORMED verdict at c"));
        assertTrue(malformed.detail().startsWith("<broadcast> does not validate"), malformed.detail());
        assertEquals(fleet.instanceOf("m"), malformed.from());
    }

    private long malformedAtC() {
        return nodes.get("c").events().stream().filter(e -> e.verdict() == Verdict.MALFORMED).count();
    }

    @Test
    void theCommandShowsOnePostPerReceiverAndTheRejectionsAndExitsZero() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new BroadcastSample());
        cl.setOut(new PrintWriter(out));
        int status = cl.execute();
        String text = out.toString();
        assertEquals(0, status, text);
        for (String expected : List.of("FORGED", "DUPLICATE", "STALE", "OK")) {
            assertTrue(text.contains(expected), expected + " missing from:\n" + text);
        }
        assertFalse(text.contains("UNEXPECTED"), text);
    }
}
