package org.xp2p.xmpp.broker;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A trust manager that trusts exactly one CA: the broker's certificate chain must lead to
 * it (full PKIX path validation by the JDK, not a fingerprint comparison). Stateless.
 */
public final class PinnedCaTrust {
    private PinnedCaTrust() {
    }

    public static X509TrustManager trusting(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("xp2p-pinned-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK offers no X509TrustManager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot trust the pinned CA " + ca.getSubjectX500Principal() + ": "
                    + e.getMessage(), e);
        }
    }
}
