package org.xp2p.samples.cli;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import org.xp2p.e2e.identity.IdentityKey;

/**
 * How identity public keys appear to people: base64 in files and offers, and a short
 * fingerprint (the first 16 octets of their SHA-256, in colon-separated groups) to
 * compare by eye or over the phone. Stateless.
 */
final class IdentityKeys {
    private static final int FINGERPRINT_OCTETS = 16;

    private IdentityKeys() {
    }

    static String fingerprint(byte[] publicKey) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(publicKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        String hex = HexFormat.of().formatHex(digest, 0, FINGERPRINT_OCTETS);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            if (i > 0) {
                out.append(':');
            }
            out.append(hex, i, i + 4);
        }
        return out.toString();
    }

    static String encode(byte[] publicKey) {
        return Base64.getEncoder().encodeToString(publicKey);
    }

    /**
     * A 32-octet Ed25519 public key written as base64 (44 characters) or hex (64).
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    static byte[] decode(String text) {
        String t = text.trim();
        byte[] key;
        try {
            key = t.length() == 2 * IdentityKey.PUBLIC_OCTETS ? HexFormat.of().parseHex(t) : Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + t + "' is not an identity key: expected 44 characters of base64 "
                    + "or 64 hex digits, as `xp2p keys show` prints it");
        }
        if (key.length != IdentityKey.PUBLIC_OCTETS) {
            throw new IllegalArgumentException("'" + t + "' decodes to " + key.length + " octets; an Ed25519 identity key has "
                    + IdentityKey.PUBLIC_OCTETS + " (copy it whole from `xp2p keys show`)");
        }
        return key;
    }
}
