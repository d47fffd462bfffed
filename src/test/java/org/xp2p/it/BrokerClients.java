package org.xp2p.it;

import java.io.IOException;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jxmpp.jid.parts.Localpart;
import org.xp2p.testbed.ProsodyServer;

/** Plain Smack clients for a test Prosody: register an account by XEP-0077, then log in. */
final class BrokerClients {
    private BrokerClients() {
    }

    static XMPPTCPConnection registerAndLogin(ProsodyServer server, String user, String resource)
            throws IOException, InterruptedException, SmackException, XMPPException {
        XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(ProsodyServer.DOMAIN)
                .setHost(server.address())
                .setPort(server.port())
                // The test broker speaks plaintext on loopback only; devices use TLS.
                .setSecurityMode(SecurityMode.disabled)
                .setResource(resource)
                .build();
        XMPPTCPConnection connection = new XMPPTCPConnection(config);
        connection.connect();
        AccountManager accounts = AccountManager.getInstance(connection);
        accounts.sensitiveOperationOverInsecureConnection(true);
        accounts.createAccount(Localpart.from(user), "secret-" + user);
        connection.login(user, "secret-" + user);
        return connection;
    }
}
