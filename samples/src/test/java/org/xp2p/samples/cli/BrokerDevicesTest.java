package org.xp2p.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.parts.Localpart;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.e2e.identity.IdentityKeyFile;
import org.xp2p.samples.Xp2pCommand;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.testbed.TlsProsodyServer;
import picocli.CommandLine;

/**
 * Broker mode against a real Prosody on loopback: alice runs from her configuration, bob
 * (on her allow-list, she on his) sends to her with {@code xp2p send}; the message arrives
 * end-to-end encrypted and confirmed by receipt, and both say which path it took; bob's
 * {@code xp2p peers} lists her from her presence. A wrong password is a start failure
 * with advice. Over TLS, the pinned CA admits the broker and an unrelated one refuses it.
 */
class BrokerDevicesTest {
    private static final String PASSCODE = "broker test";

    @TempDir
    Path dir;

    static void register(ProsodyServer prosody, String user) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(ProsodyServer.DOMAIN).setHost(prosody.address()).setPort(prosody.port())
                .setSecurityMode(SecurityMode.disabled).build());
        try {
            c.connect();
            AccountManager accounts = AccountManager.getInstance(c);
            accounts.sensitiveOperationOverInsecureConnection(true);
            accounts.createAccount(Localpart.from(user), "pw-" + user);
        } finally {
            c.disconnect();
        }
    }

    private Path config(ProsodyServer prosody, String user, String password, String peer, IdentityKey peerKey)
            throws Exception {
        return brokerConfig(dir, PASSCODE, prosody.address(), prosody.port(), user, password, String.join("\n",
                "peer." + peer + ".key = " + IdentityKeys.encode(peerKey.publicKey()),
                "peer." + peer + ".jid = " + peer + "@" + ProsodyServer.DOMAIN));
    }

    /**
     * A broker-mode device's configuration in {@code dir}, with a new identity key under
     * {@code passcode}, links on 127.0.0.1, the test broker in plaintext, and {@code extraLines}.
     */
    static Path brokerConfig(Path dir, String passcode, String host, int port, String user, String password,
            String extraLines) throws Exception {
        SecureRandom random = new SecureRandom();
        IdentityKeyFile.write(dir.resolve(user + ".key"), IdentityKey.generate(random), passcode.toCharArray(), random);
        return Files.writeString(dir.resolve(user + ".cfg"), String.join("\n",
                "identity.file = " + user + ".key",
                "jid = " + user + "@" + ProsodyServer.DOMAIN + "/dev",
                "mode = broker",
                "broker.host = " + host,
                "broker.port = " + port,
                "broker.password = " + password,
                "broker.tls = off",
                "broker.direct.address = 127.0.0.1",
                extraLines, ""));
    }

    private String[] args(Path config, String... command) throws Exception {
        return Cli.withConfig(config, Cli.passcodeFile(dir, "pass", PASSCODE), command);
    }

    @Test
    void sendThroughTheBrokerAccountReachesTheRunningPeerAndNamesThePath() throws Exception {
        try (ProsodyServer prosody = ProsodyServer.startOnLoopback()) {
            register(prosody, "alice");
            register(prosody, "bob");
            // the keys are only for the DHT and serverless links here; broker mode admits by JID
            IdentityKey unused = IdentityKey.generate(new SecureRandom());
            Path alice = config(prosody, "alice", "pw-alice", "bob", unused);
            Path bob = config(prosody, "bob", "pw-bob", "alice", unused);

            StringWriter aliceOut = new StringWriter();
            CommandLine cl = Xp2pCommand.commandLine();
            cl.setOut(new PrintWriter(aliceOut, true));
            cl.setErr(new PrintWriter(aliceOut, true));
            CompletableFuture<Integer> run = new CompletableFuture<>();
            String[] runArgs = args(alice, "run", "--duration", "300");
            Thread aliceThread = new Thread(() -> run.complete(cl.execute(runArgs)), "alice-run");
            aliceThread.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a bound against hangs, not a timing
                while (!aliceOut.toString().contains("running as") && !run.isDone() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(aliceOut.toString().contains("running as alice@localhost/dev"), aliceOut.toString());

                Cli.Result sent = Cli.run(args(bob, "send", "--to", "alice@localhost/dev", "--wait", "30",
                        "hello over the broker account"));
                assertEquals(ExitCodes.OK, sent.status(), sent + "\n--- alice:\n" + aliceOut);
                assertTrue(sent.out().matches("(?s)delivered to alice@localhost/dev via (DIRECT_LINK|BROKER), "
                        + "end-to-end encrypted.*"), sent.toString());
                System.out.print(sent.out()); // which path, for whoever reads the test log
                String path = sent.out().contains("DIRECT_LINK") ? "DIRECT_LINK" : "BROKER";
                assertTrue(aliceOut.toString().contains("message from bob@localhost/dev via " + path
                        + " (e2e encrypted, signature verified): hello over the broker account"), aliceOut.toString());

                Cli.Result peers = Cli.run(args(bob, "peers", "--wait", "3"));
                assertEquals(ExitCodes.OK, peers.status(), peers.toString());
                String line = peers.out().lines().filter(l -> l.startsWith("alice@localhost/dev  [BROKER_PRESENCE]"))
                        .findFirst().orElse("");
                assertTrue(line.contains("127.0.0.1:") && line.contains("allow-list 'alice'")
                        && line.contains("e2e "), peers.toString());
            } finally {
                aliceThread.interrupt();
                assertEquals(ExitCodes.OK, run.get(30, TimeUnit.SECONDS), aliceOut.toString());
            }
            assertTrue(aliceOut.toString().strip().endsWith("stopped"), aliceOut.toString());

            Path wrong = config(prosody, "carol", "not-the-password", "alice", unused);
            Cli.Result refused = Cli.run(args(wrong, "send", "--to", "alice@localhost/dev", "hi"));
            assertEquals(ExitCodes.START_FAILED, refused.status(), refused.toString());
            assertTrue(refused.err().contains("cannot log in to the broker"), refused.toString());
            assertTrue(refused.err().contains("check broker.host, broker.port, the password"), refused.toString());
        }
    }

    @Test
    void pinnedCaAdmitsTheTlsBrokerAndAnUnrelatedCaIsRefused() throws Exception {
        try (TlsProsodyServer prosody = TlsProsodyServer.startOnLoopback()) {
            XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(TlsProsodyServer.DOMAIN).setHost(prosody.address()).setPort(prosody.port())
                    .setSecurityMode(SecurityMode.required)
                    .setCustomX509TrustManager(trusting(prosody.caCertificate())).build());
            try {
                c.connect();
                AccountManager.getInstance(c).createAccount(Localpart.from("tls"), "pw-tls");
            } finally {
                c.disconnect();
            }
            SecureRandom random = new SecureRandom();
            IdentityKeyFile.write(dir.resolve("tls.key"), IdentityKey.generate(random), PASSCODE.toCharArray(), random);
            for (boolean rightCa : new boolean[] {true, false}) {
                Path ca = rightCa ? prosody.caCertificate() : prosody.makeUnrelatedCa();
                Path cfg = Files.writeString(dir.resolve("tls.cfg"), String.join("\n",
                        "identity.file = tls.key",
                        "jid = tls@" + TlsProsodyServer.DOMAIN + "/dev",
                        "mode = broker",
                        "broker.host = " + prosody.address(),
                        "broker.port = " + prosody.port(),
                        "broker.password = pw-tls",
                        "broker.ca = " + ca, ""));
                Cli.Result r = Cli.run(args(cfg, "peers", "--wait", "0"));
                if (rightCa) {
                    assertEquals(ExitCodes.OK, r.status(), r.toString());
                } else {
                    assertEquals(ExitCodes.START_FAILED, r.status(), r.toString());
                    assertTrue(r.err().contains("the CA (broker.ca)"), r.toString());
                }
            }
        }
    }

    /** A trust manager for the test broker's CA only, to register the account over TLS. */
    private static javax.net.ssl.X509TrustManager trusting(Path pem) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        store.load(null, null);
        try (java.io.InputStream in = Files.newInputStream(pem)) {
            store.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory f = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        return (javax.net.ssl.X509TrustManager) f.getTrustManagers()[0];
    }
}
