package org.xp2p.discovery.dht;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 signatures over {@code domain || 0x00 || payload}. The domain prefix keeps a
 * signature made for one purpose (a presence record, a challenge answer, a contact offer)
 * from ever verifying as another. Stateless; safe from any thread.
 */
public final class DomainSignature {

    public static final int SIGNATURE_OCTETS = 64;
    public static final int PUBLIC_KEY_OCTETS = 32;

    /** Domain of presence records stored in the DHT. */
    public static final String RECORD = "xp2p-dht-presence-record-v1";
    /** Domain of public data records ("mutable items") stored in the DHT. */
    public static final String PUBLIC_RECORD = "xp2p-dht-public-record-v1";
    /** Domain of a node's answer to a contact-admission challenge. */
    public static final String CHALLENGE = "xp2p-dht-challenge-v1";
    /** Domain of contact offers exchanged out of band. */
    public static final String CONTACT_OFFER = "xp2p-contact-offer-v1";

    private DomainSignature() {
    }

    private static byte[] prefixed(String domain, byte[] payload) {
        byte[] d = domain.getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[d.length + 1 + payload.length];
        System.arraycopy(d, 0, m, 0, d.length);
        System.arraycopy(payload, 0, m, d.length + 1, payload.length);
        return m;
    }

    public static byte[] sign(Ed25519PrivateKeyParameters key, Ed25519PublicKeyParameters publicKey,
                              String domain, byte[] payload) {
        byte[] m = prefixed(domain, payload);
        byte[] sig = new byte[SIGNATURE_OCTETS];
        key.sign(Ed25519.Algorithm.Ed25519, null, m, 0, m.length, sig, 0);
        return sig;
    }

    /** False for a wrong signature, a malformed one, or a public key that is not a curve point. */
    public static boolean verify(byte[] publicKey, String domain, byte[] payload, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_OCTETS || signature.length != SIGNATURE_OCTETS) {
            return false;
        }
        byte[] m = prefixed(domain, payload);
        return Ed25519.verify(signature, 0, publicKey, 0, m, 0, m.length);
    }
}
