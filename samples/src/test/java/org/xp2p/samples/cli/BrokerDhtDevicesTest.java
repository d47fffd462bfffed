package org.xp2p.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.samples.Xp2pCommand;
import org.xp2p.testbed.ProsodyServer;
import picocli.CommandLine;

/**
 * Broker mode with a DHT, against a real Prosody and real UDP DHT nodes on loopback: alice
 * and bob imported each other's offers ({@code xp2p offer import}); with the broker up bob's
 * {@code xp2p send} reaches alice's {@code xp2p run}. Then the broker stops, alice restarts
 * (she starts without it, on a new link port with new keys) and bob's send still reaches
 * her, over a direct link found through her signed DHT record, and his {@code xp2p peers}
 * lists her record once; when the broker returns she logs in and subscribes. A peer allowed
 * without its signed offer is named as broker-only, and our own offer is refused. Without a
 * DHT, a device
 * whose broker is down does not start (exit 5, with advice); with one it does.
 */
class BrokerDhtDevicesTest {
    private static final String PASSCODE = "broker dht test";
    /** Far longer than the test takes: it stops each run by interrupting its thread. */
    private static final String RUN_SECONDS = "300";

    @TempDir
    Path dir;

    /** One {@code xp2p run} in a thread, its output captured. */
    private static final class Running implements AutoCloseable {
        final StringWriter out = new StringWriter();
        final CompletableFuture<Integer> status = new CompletableFuture<>();
        final Thread thread;

        Running(String name, String... args) throws InterruptedException {
            CommandLine cl = Xp2pCommand.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(out, true));
            thread = new Thread(() -> status.complete(cl.execute(args)), name);
            thread.start();
            awaitOutput("running as");
        }

        /** Waits (bounded against hangs, not a timing) until the output holds {@code text} or the run ended. */
        void awaitOutput(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!out.toString().contains(text) && !status.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        /** Stops the run as an embedding program would, and checks it stopped cleanly. */
        @Override
        public void close() throws Exception {
            thread.interrupt();
            assertEquals(ExitCodes.OK, status.get(30, TimeUnit.SECONDS), out.toString());
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }

    private Path config(String host, int port, String user, String extraLines) throws Exception {
        return BrokerDevicesTest.brokerConfig(dir, PASSCODE, host, port, user, "pw-" + user, extraLines);
    }

    private String[] args(Path config, String... command) throws Exception {
        return Cli.withConfig(config, Cli.passcodeFile(dir, "pass", PASSCODE), command);
    }

    /** Each exports its offer and imports the other's, as two users would. */
    private void exchangeOffers(Path alice, Path bob) throws Exception {
        for (Path[] pair : new Path[][] {{alice, bob}, {bob, alice}}) {
            Path offer = dir.resolve(pair[0].getFileName() + ".offer");
            Cli.Result exported = Cli.run(args(pair[0], "offer", "export", "--out", offer.toString()));
            assertEquals(ExitCodes.OK, exported.status(), exported.toString());
            Cli.Result imported = Cli.run("offer", "import", "--config", pair[1].toString(), offer.toString());
            assertEquals(ExitCodes.OK, imported.status(), imported.toString());
        }
    }

    @Test
    void deviceRestartedWhileTheBrokerIsDownIsReachedOverADirectLinkThroughItsDhtRecord() throws Exception {
        try (ProsodyServer prosody = ProsodyServer.startOnLoopback()) {
            BrokerDevicesTest.register(prosody, "alice");
            BrokerDevicesTest.register(prosody, "bob");
            Path alice = config(prosody.address(), prosody.port(), "alice", "dht.port = " + Cli.freeUdpPort());
            Path bob = config(prosody.address(), prosody.port(), "bob", "dht.port = " + Cli.freeUdpPort());
            exchangeOffers(alice, bob);
            assertTrue(Files.readString(alice).contains("peer.bob.offer = bob.offer"), Files.readString(alice));

            String firstLinks;
            try (Running run = new Running("alice-run", args(alice, "run", "--duration", RUN_SECONDS))) {
                assertTrue(run.toString().contains("running as alice@localhost/dev"), run.toString());
                Cli.Result sent = Cli.run(args(bob, "send", "--to", "alice@localhost/dev", "--wait", "30",
                        "with the broker up"));
                assertEquals(ExitCodes.OK, sent.status(), sent + "\n--- alice:\n" + run);
                run.awaitOutput("with the broker up");
                assertTrue(run.toString().contains("message from bob@localhost/dev via "), run.toString());
                firstLinks = linkPortOf(run.toString());

                prosody.stop();
                run.awaitOutput("offline: lost the broker");
                assertTrue(run.toString().contains("offline: lost the broker at " + prosody.address()), run.toString());
            }

            try (Running again = new Running("alice-run-again", args(alice, "run", "--duration", RUN_SECONDS))) {
                String out = again.toString();
                assertTrue(out.contains("offline: the broker at " + prosody.address() + ":" + prosody.port()
                        + " cannot be reached"), out);
                assertTrue(out.contains("running as alice@localhost/dev"), out);
                assertFalse(firstLinks.equals(linkPortOf(out)), "a new link port: " + firstLinks + "\n" + out);

                // the default --wait (15 s): her record must be stored as soon as his node joins hers
                Cli.Result sent = Cli.run(args(bob, "send", "--to", "alice@localhost/dev", "with the broker down"));

                assertEquals(ExitCodes.OK, sent.status(), sent + "\n--- alice:\n" + again);
                assertTrue(sent.out().startsWith("delivered to alice@localhost/dev via DIRECT_LINK, end-to-end "
                        + "encrypted"), sent.toString());
                again.awaitOutput("with the broker down");
                assertTrue(again.toString().contains("message from bob@localhost/dev via DIRECT_LINK (e2e encrypted, "
                        + "signature verified): with the broker down"), again.toString());

                // bob lists her from her record, once, at her new link endpoint
                Cli.Result peers = Cli.run(args(bob, "peers", "--wait", "2"));
                assertEquals(ExitCodes.OK, peers.status(), peers.toString());
                java.util.List<String> lines = peers.out().lines()
                        .filter(l -> l.startsWith("alice@localhost/dev  [DHT]")).toList();
                assertEquals(1, lines.size(), peers.toString());
                assertTrue(lines.get(0).contains(linkPortOf(out)) && lines.get(0).contains("identity "), peers.toString());

                // the broker returns: she logs in for the first time since her start, and only then subscribes
                prosody.startAgain();
                again.awaitOutput("asked bob@localhost for a presence subscription");
                String back = again.toString();
                int online = back.indexOf("online: logged in to " + prosody.address() + ":" + prosody.port()
                        + " as alice@localhost/dev");
                assertTrue(online >= 0, back);
                assertTrue(back.indexOf("asked bob@localhost for a presence subscription") > online, back);
            }
        }
    }

    /** Where alice's direct links listened, as her run announced it. */
    private static String linkPortOf(String runOutput) {
        return runOutput.lines().filter(l -> l.contains("links on TCP ")).findFirst()
                .map(l -> l.substring(l.indexOf("links on TCP ") + "links on TCP ".length()).strip()).orElse("none");
    }

    @Test
    void withADhtADeviceStartsWhileItsBrokerIsDownAndWithoutOneItExitsFive() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // nothing listens there once it is closed: a broker that is down
        }
        IdentityKey erin = IdentityKey.generate(new SecureRandom());
        Path withDht = config("127.0.0.1", closedPort, "carol", "dht.port = 0\npeer.erin.key = "
                + IdentityKeys.encode(erin.publicKey()) + "\npeer.erin.jid = erin@localhost");
        Cli.Result ran = Cli.run(args(withDht, "run", "--duration", "2"));
        assertEquals(ExitCodes.OK, ran.status(), ran.toString());
        assertTrue(ran.out().contains("offline: the broker at 127.0.0.1:" + closedPort + " cannot be reached"),
                ran.toString());
        assertTrue(ran.out().contains("running as carol@localhost/dev"), ran.toString());

        // a peer allowed by key and JID only has no signature to check its DHT record against
        assertTrue(ran.err().isEmpty() && ran.out().contains("peer 'erin' is reached through the broker only")
                && ran.out().contains("xp2p offer import"), ran.toString());

        Path withoutDht = config("127.0.0.1", closedPort, "dave", "");
        Cli.Result refused = Cli.run(args(withoutDht, "run", "--duration", "2"));
        assertEquals(ExitCodes.START_FAILED, refused.status(), refused.toString());
        assertTrue(refused.err().contains("cannot log in to the broker at 127.0.0.1:" + closedPort), refused.toString());
        assertTrue(refused.err().contains("with a DHT, dht.port, the device would start without the broker"),
                refused.toString());
    }

    @Test
    void ourOwnOfferOnTheAllowListIsABadConfiguration() throws Exception {
        Path frank = config("127.0.0.1", 5222, "frank", "dht.port = 0");
        Path offer = dir.resolve("frank.offer");
        assertEquals(ExitCodes.OK, Cli.run(args(frank, "offer", "export", "--out", offer.toString())).status());
        assertEquals(ExitCodes.OK, Cli.run("offer", "import", "--config", frank.toString(), "--name", "me",
                offer.toString()).status());

        Cli.Result r = Cli.run(args(frank, "run", "--duration", "1"));

        assertEquals(ExitCodes.BAD_INPUT, r.status(), r.toString());
        assertTrue(r.err().contains("carries our own identity key") && r.err().contains("fix the peer.NAME.offer lines"),
                r.toString());
    }
}
