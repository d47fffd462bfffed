package org.xp2p.samples.firmware;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.xp2p.e2e.identity.IdentityKey;

/**
 * A manifest with the Ed25519 public key that claims to have signed it and the signature
 * over its {@link FirmwareManifest#canonical() canonical encoding}. Whether that key is the
 * one a device trusts is the device's business, not this record's.
 */
public record SignedManifest(FirmwareManifest manifest, byte[] publisher, byte[] signature) {
    public SignedManifest {
        Objects.requireNonNull(manifest, "manifest");
        publisher = publisher.clone();
        signature = signature.clone();
    }

    public static SignedManifest sign(FirmwareManifest manifest, IdentityKey publisher) {
        return new SignedManifest(manifest, publisher.publicKey(), publisher.sign(manifest.canonical()));
    }

    @Override
    public byte[] publisher() {
        return publisher.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Whether the signature is {@link #publisher()}'s over this manifest. */
    public boolean signatureVerifies() {
        return IdentityKey.verify(publisher, manifest.canonical(), signature);
    }

    /** The first octets of a key in hex, enough to tell keys apart in a message. */
    static String fingerprint(byte[] key) {
        return HexFormat.of().formatHex(key, 0, Math.min(8, key.length)) + "…";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedManifest s && s.manifest.equals(manifest) && Arrays.equals(s.publisher, publisher)
                && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(manifest, Arrays.hashCode(publisher), Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return manifest + " signed by " + fingerprint(publisher);
    }
}
