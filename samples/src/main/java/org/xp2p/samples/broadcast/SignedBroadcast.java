package org.xp2p.samples.broadcast;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.xp2p.e2e.identity.IdentityKey;

/**
 * One broadcast as its origin signed it: who sent it first, its sequence number (unique
 * per origin and increasing), its time on the origin's clock, the text, and the origin's
 * Ed25519 signature over {@link #canonical()}. Relays forward it unchanged, so the
 * signature holds end to end.
 */
public record SignedBroadcast(String origin, long sequence, long timeMillis, String text, byte[] signature) {
    /** Separates these signatures from every other use of the identity key. */
    static final String DOMAIN = "xp2p-sample-broadcast:1";

    public SignedBroadcast {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(text, "text");
        if (sequence < 0 || timeMillis < 0) {
            throw new IllegalArgumentException("sequence and time are not negative");
        }
        signature = signature.clone();
    }

    public static SignedBroadcast sign(String origin, IdentityKey key, long sequence, long timeMillis, String text) {
        byte[] unsigned = canonical(origin, sequence, timeMillis, text);
        return new SignedBroadcast(origin, sequence, timeMillis, text, key.sign(unsigned));
    }

    /** The same broadcast with another text and the old signature: what a forger would send. */
    public SignedBroadcast withText(String otherText) {
        return new SignedBroadcast(origin, sequence, timeMillis, otherText, signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Whether the signature is {@code originKey}'s over this broadcast. */
    public boolean verifies(byte[] originKey) {
        return IdentityKey.verify(originKey, canonical(), signature);
    }

    /** {@code origin#sequence}: what de-duplication remembers. */
    public String id() {
        return origin + "#" + sequence;
    }

    /**
     * The signed octets: the domain, the origin (UTF-8, 2-octet length), the sequence and
     * the time (8 octets each), then the text (UTF-8, 4-octet length).
     */
    public byte[] canonical() {
        return canonical(origin, sequence, timeMillis, text);
    }

    private static byte[] canonical(String origin, long sequence, long timeMillis, String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] domain = DOMAIN.getBytes(StandardCharsets.UTF_8);
            out.writeShort(domain.length);
            out.write(domain);
            byte[] o = origin.getBytes(StandardCharsets.UTF_8);
            out.writeShort(o.length);
            out.write(o);
            out.writeLong(sequence);
            out.writeLong(timeMillis);
            byte[] t = text.getBytes(StandardCharsets.UTF_8);
            out.writeInt(t.length);
            out.write(t);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedBroadcast b && b.origin.equals(origin) && b.sequence == sequence
                && b.timeMillis == timeMillis && b.text.equals(text) && Arrays.equals(b.signature, signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, sequence, timeMillis, text, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return id() + " '" + text + "'";
    }
}
