package org.xp2p.e2e.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.e2e.crypto.Sha256;

/**
 * The identity key at rest: its seed encrypted with ChaCha20-Poly1305 under a key that
 * scrypt derives from a passcode, in a file of mode 600 written atomically. The seed is
 * never written in plaintext, not even to a temporary file.
 *
 * <p>Layout (104 octets): magic "xp2p-idk" (8), version 1 (1), scrypt log2 N, r, p (1 each),
 * salt (16), nonce (12), passcode check (16), encrypted seed + tag (48). The AEAD's
 * associated data is everything before the encrypted seed, so any altered header octet
 * is detected. The passcode check (a hash of a second scrypt output) tells a wrong
 * passcode apart from a tampered file. Stateless; a file is read or written whole.
 */
public final class IdentityKeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityKeyFile.class);

    private static final byte[] MAGIC = "xp2p-idk".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int SALT_OCTETS = 16;
    private static final int NONCE_OCTETS = 12;
    private static final int CHECK_OCTETS = 16;
    private static final int TAG_OCTETS = 16;
    private static final int HEADER_OCTETS = MAGIC.length + 4 + SALT_OCTETS + NONCE_OCTETS + CHECK_OCTETS;
    static final int FILE_OCTETS = HEADER_OCTETS + IdentityKey.SEED_OCTETS + TAG_OCTETS;
    private static final byte[] CHECK_LABEL = "xp2p identity passcode check".getBytes(StandardCharsets.US_ASCII);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /**
     * scrypt cost: N = 2^logN, r, p. Reading accepts only plausible values, so that a
     * doctored file cannot make us allocate gigabytes.
     */
    public record Kdf(int logN, int r, int p) {
        /** About 32 MiB and a tenth of a second on a laptop. */
        public static final Kdf DEFAULT = new Kdf(15, 8, 1);

        public Kdf {
            if (logN < 10 || logN > 22 || r < 1 || r > 32 || p < 1 || p > 16) {
                throw new IllegalArgumentException("implausible scrypt parameters logN=" + logN + " r=" + r + " p=" + p);
            }
        }
    }

    private IdentityKeyFile() {
    }

    /**
     * The identity key in {@code file}, or a new one written there when the file does not
     * exist yet. A file that exists but cannot be read is an error, never a reason to
     * replace the identity.
     */
    public static IdentityKey loadOrCreate(Path file, char[] passcode, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            return read(file, passcode);
        }
        IdentityKey key = IdentityKey.generate(random);
        write(file, key, passcode, random);
        return key;
    }

    /** Writes {@code key} to {@code file} (replacing it atomically) with {@link Kdf#DEFAULT}. */
    public static void write(Path file, IdentityKey key, char[] passcode, SecureRandom random) throws IOException {
        write(file, key, passcode, random, Kdf.DEFAULT);
    }

    public static void write(Path file, IdentityKey key, char[] passcode, SecureRandom random, Kdf kdf) throws IOException {
        requirePasscode(passcode);
        byte[] salt = new byte[SALT_OCTETS];
        byte[] nonce = new byte[NONCE_OCTETS];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        byte[][] keys = derive(passcode, salt, kdf);
        ByteBuffer out = ByteBuffer.allocate(FILE_OCTETS);
        out.put(MAGIC).put((byte) VERSION).put((byte) kdf.logN()).put((byte) kdf.r()).put((byte) kdf.p())
                .put(salt).put(nonce).put(check(keys[1]));
        byte[] header = Arrays.copyOf(out.array(), HEADER_OCTETS);
        byte[] seed = key.seed();
        try {
            out.put(aead(true, keys[0], nonce, header, seed));
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 encryption cannot fail", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
            Arrays.fill(keys[0], (byte) 0);
        }
        writeOwnerOnly(file, out.array());
    }

    /**
     * The identity key stored in {@code file}.
     *
     * @throws IdentityKeyFileException naming the problem: not such a file, truncated,
     *                                  wrong passcode, tampered
     */
    public static IdentityKey read(Path file, char[] passcode) throws IOException {
        requirePasscode(passcode);
        warnIfReadableByOthers(file);
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IdentityKeyFileException(IdentityKeyFileException.Problem.NOT_AN_IDENTITY_FILE,
                    file + " is not an xp2p identity key file (it does not start with \"xp2p-idk\")");
        }
        if (bytes.length > MAGIC.length && bytes[MAGIC.length] != VERSION) {
            throw new IdentityKeyFileException(IdentityKeyFileException.Problem.UNSUPPORTED_VERSION,
                    file + " has format version " + bytes[MAGIC.length] + "; this version of xp2p reads version " + VERSION);
        }
        if (bytes.length < FILE_OCTETS) {
            throw new IdentityKeyFileException(IdentityKeyFileException.Problem.TRUNCATED,
                    file + " is truncated: " + bytes.length + " of " + FILE_OCTETS + " octets; restore it from a backup");
        }
        if (bytes.length > FILE_OCTETS) {
            throw new IdentityKeyFileException(IdentityKeyFileException.Problem.TAMPERED,
                    file + " has " + (bytes.length - FILE_OCTETS) + " unexpected octets after the key; it was altered");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, MAGIC.length + 1, FILE_OCTETS - MAGIC.length - 1);
        Kdf kdf;
        try {
            kdf = new Kdf(in.get(), in.get(), in.get());
        } catch (IllegalArgumentException e) {
            throw new IdentityKeyFileException(IdentityKeyFileException.Problem.TAMPERED, file + " was altered: " + e.getMessage());
        }
        byte[] salt = new byte[SALT_OCTETS];
        byte[] nonce = new byte[NONCE_OCTETS];
        byte[] storedCheck = new byte[CHECK_OCTETS];
        byte[] sealed = new byte[IdentityKey.SEED_OCTETS + TAG_OCTETS];
        in.get(salt).get(nonce).get(storedCheck).get(sealed);
        byte[][] keys = derive(passcode, salt, kdf);
        if (!MessageDigest.isEqual(storedCheck, check(keys[1]))) {
            throw new IdentityKeyFileException(IdentityKeyFileException.Problem.WRONG_PASSCODE,
                    "wrong passcode for " + file + " (or its salt or KDF parameters were altered)");
        }
        byte[] seed;
        try {
            seed = aead(false, keys[0], nonce, Arrays.copyOf(bytes, HEADER_OCTETS), sealed);
        } catch (InvalidCipherTextException e) {
            throw new IdentityKeyFileException(IdentityKeyFileException.Problem.TAMPERED,
                    "the passcode is right but " + file + " was altered (authentication tag mismatch); restore it from a backup");
        } finally {
            Arrays.fill(keys[0], (byte) 0);
        }
        try {
            return IdentityKey.fromSeed(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private static void requirePasscode(char[] passcode) {
        if (passcode == null || passcode.length == 0) {
            throw new IllegalArgumentException("an identity key file needs a non-empty passcode");
        }
    }

    /** Two 32-octet keys from one scrypt run: the AEAD key and the passcode-check key. */
    private static byte[][] derive(char[] passcode, byte[] salt, Kdf kdf) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(passcode));
        byte[] passExact = new byte[encoded.remaining()];
        encoded.get(passExact);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        try {
            byte[] out = SCrypt.generate(passExact, salt, 1 << kdf.logN(), kdf.r(), kdf.p(), 64);
            byte[][] keys = {Arrays.copyOf(out, 32), Arrays.copyOfRange(out, 32, 64)};
            Arrays.fill(out, (byte) 0);
            return keys;
        } finally {
            Arrays.fill(passExact, (byte) 0);
        }
    }

    private static byte[] check(byte[] checkKey) {
        return Arrays.copyOf(Sha256.of(CHECK_LABEL, checkKey), CHECK_OCTETS);
    }

    private static byte[] aead(boolean encrypt, byte[] key, byte[] nonce, byte[] ad, byte[] input) throws InvalidCipherTextException {
        ChaCha20Poly1305 cipher = new ChaCha20Poly1305();
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_OCTETS * 8, nonce, ad));
        byte[] out = new byte[cipher.getOutputSize(input.length)];
        int n = cipher.processBytes(input, 0, input.length, out, 0);
        cipher.doFinal(out, n);
        return out;
    }

    /** Writes to a temporary file created with mode 600 beside the target, syncs, then renames over it. */
    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = posix
                ? Files.createTempFile(dir, ".identity", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, ".identity", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            if (posix) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                perms.removeAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
                if (!perms.isEmpty()) {
                    LOG.warn("Identity key file {} has permissions {}; it should be rw------- (chmod 600)", file,
                            PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // The read that follows reports a missing or unreadable file properly.
        }
    }
}
