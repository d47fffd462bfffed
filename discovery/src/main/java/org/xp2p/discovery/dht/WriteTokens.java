package org.xp2p.discovery.dht;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Write tokens as BEP-5 hands them out: a node gives each requester a MAC of the
 * requester's address under a secret that rotates, and accepts a store only with a token
 * issued to the storing address by the current or the previous secret. A node can
 * therefore only store from an address where it can also receive. Not thread-safe: owned
 * by its node's event loop.
 */
final class WriteTokens {

    static final int TOKEN_OCTETS = 8;

    private final SecureRandom random;
    private byte[] current = new byte[32];
    private byte[] previous = new byte[32];

    WriteTokens(SecureRandom random) {
        this.random = random;
        random.nextBytes(current);
        random.nextBytes(previous);
    }

    /** Starts a new secret; tokens of the one before the previous stop working. */
    void rotate() {
        previous = current;
        current = new byte[32];
        random.nextBytes(current);
    }

    byte[] issue(InetSocketAddress requester) {
        return mac(current, requester);
    }

    boolean valid(byte[] token, InetSocketAddress requester) {
        return token.length == TOKEN_OCTETS && (MessageDigest.isEqual(token, mac(current, requester))
                || MessageDigest.isEqual(token, mac(previous, requester)));
    }

    private static byte[] mac(byte[] secret, InetSocketAddress a) {
        HMac h = new HMac(new SHA256Digest());
        h.init(new KeyParameter(secret));
        byte[] ip = a.getAddress().getAddress();
        h.update(ip, 0, ip.length);
        h.update((byte) (a.getPort() >>> 8));
        h.update((byte) a.getPort());
        byte[] out = new byte[32];
        h.doFinal(out, 0);
        return Arrays.copyOf(out, TOKEN_OCTETS);
    }
}
