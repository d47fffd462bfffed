package org.xp2p.xmpp.broker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLException;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jxmpp.jid.parts.Localpart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xp2p.testbed.TlsProsodyServer;
import org.xp2p.xmpp.peers.PeerDirectory;

/**
 * The broker session over TLS against a real Prosody that requires it: the certificate is
 * verified (a pinned CA that issued it: accepted; an unrelated pinned CA or the system's
 * trust store, which does not know the test CA: refused), and the login uses SCRAM.
 */
class BrokerTlsTest {
    private static TlsProsodyServer prosody;
    private static X509Certificate ca;
    private static ScheduledExecutorService timers;

    @BeforeAll
    static void brokerAndAccount() throws Exception {
        prosody = TlsProsodyServer.startOnLoopback();
        ca = read(prosody.caCertificate());
        timers = Executors.newSingleThreadScheduledExecutor();
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("localhost").setHost(prosody.address()).setPort(prosody.port())
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(PinnedCaTrust.trusting(ca)).build());
        try {
            c.connect();
            AccountManager.getInstance(c).createAccount(Localpart.from("secure"), "pw-secure");
        } finally {
            c.disconnect();
        }
    }

    @AfterAll
    static void stop() {
        if (timers != null) {
            timers.shutdownNow();
        }
        if (prosody != null) {
            prosody.close();
        }
    }

    static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static BrokerSession session(BrokerConfig config) {
        return new BrokerSession(config, SubscriptionPolicy.manual(), new PeerDirectory(), timers, Runnable::run,
                new BrokerSession.Events() {
                    @Override
                    public void online(boolean reconnected) {
                    }

                    @Override
                    public void offline(String reason) {
                    }

                    @Override
                    public void stanza(Stanza stanza) {
                    }
                });
    }

    static BrokerConfig config() {
        return BrokerConfig.tls("localhost", prosody.address(), prosody.port(), "secure", "pw-secure", "dev");
    }

    @Test
    void aSessionPinningTheIssuingCaLogsInOverTls() throws Exception {
        try (BrokerSession s = session(config().withPinnedCa(ca))) {
            s.start();
            assertTrue(s.online());
            assertTrue(s.connection().isSecureConnection(), "the stream is encrypted");
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedEvenWhenThatCaIsPinned() throws Exception {
        X509Certificate other = read(prosody.makeUnrelatedCa());
        try (BrokerSession s = session(config().withPinnedCa(other))) {
            Exception e = assertThrows(Exception.class, s::start);
            assertTrue(causedBy(e, SSLException.class), "a TLS failure, not something else: " + e);
            assertTrue(!s.online());
        }
    }

    @Test
    void withoutAPinTheSystemTrustStoreDecidesAndDoesNotKnowTheTestCa() throws Exception {
        try (BrokerSession s = session(config())) {
            Exception e = assertThrows(Exception.class, s::start);
            assertTrue(causedBy(e, SSLException.class), "a TLS failure, not something else: " + e);
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            for (Throwable s : c.getSuppressed()) {
                if (causedBy(s, type)) {
                    return true;
                }
            }
        }
        return false;
    }
}
