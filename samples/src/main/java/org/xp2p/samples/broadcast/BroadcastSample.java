package org.xp2p.samples.broadcast;

import java.io.PrintWriter;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.samples.common.LoopbackFleet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code xp2p sample broadcast}: five devices on loopback, {@code a ── r ── c ── m} with a
 * second relay {@code d} between r and c. a broadcasts; r and d relay; r, c and d verify and
 * post to the webhook, once each although c hears it twice. Then m, a contact of c, replays
 * it, forges one, and replays an hour-old one: c rejects all three and posts none. Exit 0
 * when that is exactly what happened.
 */
@Command(name = "broadcast", mixinStandardHelpOptions = true,
        description = {"Signed broadcast to all contacts, verified by each receiver and posted to an HTTP webhook;"
                + " relays de-duplicate; replayed, forged and stale broadcasts are rejected.",
                "Without --webhook the sample runs its own webhook on 127.0.0.1 and prints what it receives."})
public final class BroadcastSample implements Callable<Integer> {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Duration FRESHNESS = Duration.ofMinutes(5);
    private static final List<String> RECEIVERS = List.of("r", "c", "d");

    @Spec
    private CommandSpec spec;

    @Option(names = "--webhook", paramLabel = "URL", description = "Where receivers POST accepted broadcasts (JSON).")
    private URI webhookUri;

    @Option(names = "--text", paramLabel = "TEXT", description = "What a broadcasts (default: ${DEFAULT-VALUE}).")
    private String text = "storm warning: close the greenhouse";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Signed broadcast with a webhook, between secured serverless devices on 127.0.0.1");
        out.println("  contacts: a-r, r-c, r-d, d-c, c-m; r and d relay; everyone pins a's identity key");
        out.flush();
        try (LoopbackWebhook own = webhookUri == null ? new LoopbackWebhook(r -> {
            synchronized (out) {
                out.println("    webhook " + r.path() + " <- " + r.body());
                out.flush();
            }
        }) : null) {
            return run(out, own);
        }
    }

    private int run(PrintWriter out, LoopbackWebhook own) throws Exception {
        SecureRandom random = new SecureRandom();
        Map<String, IdentityKey> keys = new LinkedHashMap<>();
        Map<String, BroadcastNode> nodes = new LinkedHashMap<>();
        LoopbackFleet.Builder b = LoopbackFleet.builder("broadcast");
        for (String name : List.of("a", "r", "c", "d", "m")) {
            keys.put(name, IdentityKey.generate(random));
        }
        Map<String, byte[]> pinned = Map.of(b.instanceOf("a"), keys.get("a").publicKey());
        for (String name : keys.keySet()) {
            WebhookPoster poster = !RECEIVERS.contains(name) ? null
                    : new WebhookPoster(own != null ? own.uri("/" + name) : webhookUri, BOUND);
            BroadcastNode node = new BroadcastNode(keys.get(name), name.equals("m") ? Map.of() : pinned,
                    name.equals("r") || name.equals("d"), poster, FRESHNESS, Clock.systemUTC());
            nodes.put(name, node);
            b.device(name, keys.get(name), node);
        }
        b.contacts("r", "a", "c", "d").contacts("c", "d", "m");
        int unexpected = 0;
        try (LoopbackFleet fleet = b.start()) {
            Map<String, List<String>> contacts = Map.of("a", List.of("r"), "r", List.of("a", "c", "d"),
                    "c", List.of("r", "d", "m"), "d", List.of("r", "c"), "m", List.of("c"));
            contacts.forEach((name, theirs) -> nodes.get(name).attach(fleet.device(name),
                    theirs.stream().map(fleet::instanceOf).toList()));
            BroadcastNode c = nodes.get("c");

            out.println("  a broadcasts '" + text + "' to its contacts");
            out.flush();
            SignedBroadcast sent = nodes.get("a").broadcast(text, BOUND).broadcast();
            c.awaitEvent(e -> sent.equals(e.broadcast()) && e.verdict() == Verdict.DUPLICATE, BOUND);
            for (String name : RECEIVERS) {
                awaitPost(nodes.get(name), sent);
            }

            out.println("  m replays it to c, forges a copy with other text, and replays an hour-old one of a's");
            out.flush();
            SignedBroadcast forged = sent.withText("storm over: open the greenhouse");
            SignedBroadcast stale = SignedBroadcast.sign(fleet.instanceOf("a"), keys.get("a"), 1,
                    System.currentTimeMillis() - Duration.ofHours(1).toMillis(), "frost tonight");
            for (SignedBroadcast bad : List.of(sent, forged, stale)) {
                nodes.get("m").sendTo(fleet.instanceOf("c"), bad).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
                c.awaitEvent(e -> bad.equals(e.broadcast()) && fleet.instanceOf("m").equals(e.from()), BOUND);
            }
            Thread.sleep(200); // room for a wrong post to show
            synchronized (out) {
                for (String name : RECEIVERS) {
                    out.println("  " + name + " judged:");
                    for (BroadcastNode.Event e : nodes.get(name).events()) {
                        out.println("    from " + e.from().substring(0, e.from().indexOf('@')) + ": "
                                + (e.broadcast() != null ? e.broadcast() : "?") + " -> " + e.verdict() + " (" + e.detail() + ")");
                    }
                }
            }
            unexpected += expect(out, RECEIVERS.stream().allMatch(n -> okPosts(nodes.get(n), sent) == 1),
                    "r, c and d each posted the broadcast exactly once");
            unexpected += expect(out, verdicts(c, sent).equals(List.of(Verdict.ACCEPTED, Verdict.DUPLICATE, Verdict.DUPLICATE)),
                    "c took the first copy and dropped the relayed one and the replay");
            unexpected += expect(out, verdicts(c, forged).equals(List.of(Verdict.FORGED)), "c rejected the forgery");
            unexpected += expect(out, verdicts(c, stale).equals(List.of(Verdict.STALE)), "c rejected the stale one");
            unexpected += expect(out, c.posts().size() == 1, "c posted nothing it rejected");
        }
        out.println(unexpected == 0 ? "OK" : "FAILED: " + unexpected + " unexpected outcome(s)");
        out.flush();
        return unexpected == 0 ? 0 : 1;
    }

    private static List<Verdict> verdicts(BroadcastNode node, SignedBroadcast b) {
        return node.events().stream().filter(e -> b.equals(e.broadcast())).map(BroadcastNode.Event::verdict).toList();
    }

    private static long okPosts(BroadcastNode node, SignedBroadcast b) {
        return node.posts().stream().filter(p -> b.equals(p.broadcast()) && p.status() / 100 == 2).count();
    }

    private static void awaitPost(BroadcastNode node, SignedBroadcast b) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (node.posts().stream().noneMatch(p -> b.equals(p.broadcast())) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static int expect(PrintWriter out, boolean holds, String what) {
        synchronized (out) {
            out.println("  " + (holds ? "ok: " : "UNEXPECTED, not so: ") + what);
        }
        return holds ? 0 : 1;
    }
}
