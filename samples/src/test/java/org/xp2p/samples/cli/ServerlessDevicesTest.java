package org.xp2p.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.xp2p.samples.Xp2pCommand;
import picocli.CommandLine;

/**
 * Real serverless devices on 127.0.0.1, each from its own configuration file: alice runs
 * ({@code xp2p run}); bob, whom she allows and who imported her offer, lists her with
 * {@code xp2p peers} (mDNS and her DHT record) and reaches her with {@code xp2p send}
 * over an end-to-end encrypted link; dave, with mDNS off, finds her through her DHT record
 * and reaches her over a direct link; carol, whose key alice does not allow, is refused;
 * an unknown JID is reported as such.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerlessDevicesTest {
    /** Far longer than the tests take: the last one stops alice by interrupting her thread. */
    private static final long RUN_SECONDS = 300;

    @TempDir
    static Path dir;
    private TestDevice alice;
    private TestDevice bob;
    private TestDevice carol;
    private TestDevice dave;
    private final StringWriter aliceOut = new StringWriter();
    private final CompletableFuture<Integer> aliceRun = new CompletableFuture<>();
    private Thread aliceThread;

    @BeforeAll
    void start() throws Exception {
        int aliceDht = Cli.freeUdpPort();
        int bobDht = Cli.freeUdpPort();
        alice = TestDevice.serverless(dir, "alice", "dht.port = " + aliceDht);
        bob = TestDevice.serverless(dir, "bob", "dht.port = " + bobDht);
        carol = TestDevice.serverless(dir, "carol", "");
        int daveDht = Cli.freeUdpPort();
        dave = TestDevice.serverless(dir, "dave", "serverless.mdns = off\ndht.port = " + daveDht);
        // bob and carol import alice's offer; alice allows bob by key, with his DHT address
        Path offer = dir.resolve("alice.offer");
        assertEquals(ExitCodes.OK, Cli.run(alice.args("offer", "export", "--out", offer.toString())).status());
        for (TestDevice d : new TestDevice[] {bob, carol, dave}) {
            Cli.Result r = Cli.run("offer", "import", "--config", d.config().toString(), "--name", "alice", offer.toString());
            assertEquals(ExitCodes.OK, r.status(), r.toString());
        }
        alice.append("peer.bob.key = " + IdentityKeys.encode(bob.identity().publicKey()) + "\npeer.bob.jid = " + bob.jid()
                + "\npeer.bob.dht = 127.0.0.1:" + bobDht);
        alice.append("peer.dave.key = " + IdentityKeys.encode(dave.identity().publicKey()) + "\npeer.dave.jid = "
                + dave.jid() + "\npeer.dave.dht = 127.0.0.1:" + daveDht);

        CommandLine cl = Xp2pCommand.commandLine();
        cl.setOut(new PrintWriter(aliceOut, true));
        cl.setErr(new PrintWriter(aliceOut, true));
        aliceThread = new Thread(() -> aliceRun.complete(cl.execute(alice.args("run", "--duration",
                Long.toString(RUN_SECONDS)))), "alice-run");
        aliceThread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a bound against hangs, not a timing
        while (!aliceOut.toString().contains("running as") && !aliceRun.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(aliceOut.toString().contains("running as " + alice.jid()), aliceOut.toString());
    }

    @AfterAll
    void stop() throws Exception {
        if (aliceThread != null) {
            aliceThread.interrupt();
            aliceThread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    @Test
    @Order(1)
    void peersListsTheRunningDeviceFromMdnsAndFromItsDhtRecord() {
        Cli.Result r = Cli.run(bob.args("peers", "--wait", "4"));
        assertEquals(ExitCodes.OK, r.status(), r.toString());
        String mdns = r.out().lines().filter(l -> l.startsWith(alice.jid() + "  [MDNS]")).findFirst().orElse("");
        assertTrue(mdns.contains("127.0.0.1:"), r.toString());
        assertTrue(mdns.contains("allow-list 'alice' " + IdentityKeys.fingerprint(alice.identity().publicKey())),
                r.toString());
        String dht = r.out().lines().filter(l -> l.startsWith(alice.jid() + "  [DHT]")).findFirst().orElse("");
        assertTrue(dht.contains("identity " + IdentityKeys.fingerprint(alice.identity().publicKey())),
                r + "\n--- alice:\n" + aliceOut);
        assertTrue(dht.contains("ed25519"), dht); // her E2E keys, signed into the record
        assertTrue(r.err().contains("looking for peers"), r.toString());
    }

    @Test
    @Order(2)
    void sendReachesTheRunningDeviceEndToEndEncryptedAndSaysWhichPath() throws Exception {
        Cli.Result r = Cli.run(bob.args("send", "--to", alice.jid(), "hello alice, from the command line"));
        assertEquals(ExitCodes.OK, r.status(), r + "\n--- alice:\n" + aliceOut);
        // Link-local when the device's mDNS browser sees the peer, else a direct link found
        // through the DHT record: each side judges by what it sees, so either may be named.
        assertTrue(r.out().matches("(?s)delivered to " + Pattern.quote(alice.jid())
                + " via (LINK_LOCAL|DIRECT_LINK), end-to-end encrypted.*"), r.toString());
        // alice printed it, with its path, before she confirmed it
        String received = aliceOut.toString().lines().filter(l -> l.contains("hello alice, from the command line"))
                .findFirst().orElse("");
        assertTrue(received.matches(".*message from " + Pattern.quote(bob.jid())
                + " via (LINK_LOCAL|DIRECT_LINK) \\(e2e encrypted, signature verified\\).*"), aliceOut.toString());
    }

    @Test
    @Order(3)
    void deviceWithMdnsOffFindsThePeerThroughItsDhtRecordAndSendsOverADirectLink() {
        Cli.Result r = Cli.run(dave.args("send", "--to", alice.jid(), "hello from dave, mDNS off"));
        assertEquals(ExitCodes.OK, r.status(), r + "\n--- alice:\n" + aliceOut);
        assertTrue(r.out().startsWith("delivered to " + alice.jid() + " via DIRECT_LINK, end-to-end encrypted"),
                r.toString());
        assertTrue(aliceOut.toString().contains("message from " + dave.jid() + " via DIRECT_LINK (e2e encrypted, "
                + "signature verified): hello from dave, mDNS off"), aliceOut.toString());
        // dave never announced himself on mDNS
        assertFalse(aliceOut.toString().contains("peer arrived: " + dave.jid()), aliceOut.toString());
    }

    @Test
    @Order(4)
    void sendFromADeviceWhoseKeyIsNotAllowedIsRefusedWithAdvice() {
        Cli.Result r = Cli.run(carol.args("send", "--to", alice.jid(), "let me in"));
        assertEquals(ExitCodes.PEER_REFUSED, r.status(), r.toString());
        assertTrue(r.err().contains("allow-list"), r.toString());
        assertTrue(r.err().contains("xp2p offer import"), r.toString());
        assertFalse(aliceOut.toString().contains("let me in"), aliceOut.toString());
    }

    @Test
    @Order(5)
    void sendToAJidNobodyAnnouncesSaysSoAfterTheWait() {
        Cli.Result r = Cli.run(bob.args("send", "--to", "nobody-" + ProcessHandle.current().pid() + "@cli-test",
                "--wait", "1", "hello?"));
        assertEquals(ExitCodes.PEER_UNKNOWN, r.status(), r.toString());
        assertTrue(r.err().contains("was not seen within 1 s"), r.toString());
        assertTrue(r.err().contains("xp2p run"), r.toString());
    }

    @Test
    @Order(6)
    void runNarratesPeersAndLinksAndStopsCleanlyWhenAskedTo() throws Exception {
        aliceThread.interrupt();
        assertEquals(ExitCodes.OK, aliceRun.get(30, TimeUnit.SECONDS), aliceOut.toString());
        String out = aliceOut.toString();
        assertTrue(out.contains("peer arrived: " + bob.jid()), out);
        assertTrue(out.contains("link to " + bob.jid() + ": inbound 127.0.0.1:"), out);
        assertTrue(out.contains("identity verified"), out);
        assertTrue(out.strip().endsWith("stopped"), out);
    }
}
