package org.xp2p.xmpp.device;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jxmpp.jid.parts.Localpart;
import org.xp2p.xmpp.broker.BrokerConfig;

/** Accounts on a test broker: registered in-band (XEP-0077), then used by devices. */
final class Accounts {
    private Accounts() {
    }

    static String password(String user) {
        return "pw-" + user;
    }

    /** Registers {@code user} on the broker at host:port (plaintext test broker). */
    static void register(String host, int port, String user) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("localhost").setHost(host).setPort(port)
                .setSecurityMode(SecurityMode.disabled).build());
        try {
            c.connect();
            AccountManager accounts = AccountManager.getInstance(c);
            accounts.sensitiveOperationOverInsecureConnection(true);
            accounts.createAccount(Localpart.from(user), password(user));
        } finally {
            c.disconnect();
        }
    }

    /** A plain Smack client logged in as {@code user}, for intruders and checks. */
    static XMPPTCPConnection login(String host, int port, String user, String resource) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("localhost").setHost(host).setPort(port).setResource(resource)
                .setUsernameAndPassword(user, password(user))
                .setSecurityMode(SecurityMode.disabled).build());
        c.connect();
        c.login();
        return c;
    }

    static BrokerConfig config(String host, int port, String user) {
        return BrokerConfig.plaintextForTests("localhost", host, port, user, password(user), "dev");
    }
}
