package org.xp2p.samples.firmware;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a publisher vouches for about one image: which product it is for, its version, its
 * size and its SHA-256. {@link #canonical()} is the exact octets that get signed.
 */
public record FirmwareManifest(String product, FirmwareVersion version, long size, byte[] sha256) {
    /** Separates these signatures from every other use of the identity key. */
    static final String DOMAIN = "xp2p-sample-firmware-manifest:1";
    static final int SHA256_OCTETS = 32;

    public FirmwareManifest {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(version, "version");
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " is negative");
        }
        if (sha256 == null || sha256.length != SHA256_OCTETS) {
            throw new IllegalArgumentException("a SHA-256 has " + SHA256_OCTETS + " octets");
        }
        sha256 = sha256.clone();
    }

    /** The manifest that describes {@code image} truthfully. */
    public static FirmwareManifest of(String product, FirmwareVersion version, byte[] image) {
        return new FirmwareManifest(product, version, image.length, sha256(image));
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /**
     * The signed encoding: the domain, then each field length-prefixed (strings as UTF-8 with
     * a 2-octet length, the size as 8 octets, the hash as its 32 octets), so that no two
     * different manifests encode alike.
     */
    public byte[] canonical() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeString(out, DOMAIN);
            writeString(out, product);
            writeString(out, version.toString());
            out.writeLong(size);
            out.write(sha256);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FirmwareManifest m && m.product.equals(product) && m.version.equals(version) && m.size == size
                && Arrays.equals(m.sha256, sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(product, version, size, Arrays.hashCode(sha256));
    }

    @Override
    public String toString() {
        return product + " " + version + " (" + size + " octets, sha256 " + HexFormat.of().formatHex(sha256, 0, 8) + "…)";
    }
}
