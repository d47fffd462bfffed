package org.xp2p.e2e.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityKeyFileTest {
    private static final char[] PASSCODE = "correct horse battery staple".toCharArray();
    private static final IdentityKeyFile.Kdf FAST = new IdentityKeyFile.Kdf(10, 8, 1);

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();

    @Test
    void aWrittenKeyReadsBackWithTheSamePublicKey() throws Exception {
        IdentityKey key = IdentityKey.generate(random);
        Path file = dir.resolve("identity.key");
        IdentityKeyFile.write(file, key, PASSCODE, random);
        assertEquals(key, IdentityKeyFile.read(file, PASSCODE));
        assertEquals(IdentityKeyFile.FILE_OCTETS, Files.size(file));
    }

    @Test
    void theFileIsOwnerOnlyAndNeverHoldsTheSeedInPlaintext() throws Exception {
        IdentityKey key = IdentityKey.generate(random);
        Path file = dir.resolve("sub/identity.key");
        IdentityKeyFile.write(file, key, PASSCODE, random, FAST);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        byte[] content = Files.readAllBytes(file);
        byte[] seed = key.privateKey().getEncoded();
        assertFalse(Hex.toHexString(content).contains(Hex.toHexString(seed)), "seed must not appear in the file");
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
    }

    @Test
    void aWrongPasscodeIsReportedAsSuch() throws Exception {
        Path file = dir.resolve("identity.key");
        IdentityKeyFile.write(file, IdentityKey.generate(random), PASSCODE, random, FAST);
        IdentityKeyFileException e = assertThrows(IdentityKeyFileException.class,
                () -> IdentityKeyFile.read(file, "Tr0ub4dor&3".toCharArray()));
        assertEquals(IdentityKeyFileException.Problem.WRONG_PASSCODE, e.problem());
        assertTrue(e.getMessage().contains("wrong passcode"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsReportedAsTruncated() throws Exception {
        Path file = dir.resolve("identity.key");
        IdentityKeyFile.write(file, IdentityKey.generate(random), PASSCODE, random, FAST);
        byte[] content = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(content, content.length - 5));
        IdentityKeyFileException e = assertThrows(IdentityKeyFileException.class, () -> IdentityKeyFile.read(file, PASSCODE));
        assertEquals(IdentityKeyFileException.Problem.TRUNCATED, e.problem());
    }

    @Test
    void anyAlteredOctetAfterThePasscodeCheckIsReportedAsTampered() throws Exception {
        Path file = dir.resolve("identity.key");
        IdentityKeyFile.write(file, IdentityKey.generate(random), PASSCODE, random, FAST);
        byte[] original = Files.readAllBytes(file);
        // nonce (28..40) and encrypted seed + tag (56..104)
        for (int at : new int[] {30, 60, 90, original.length - 1}) {
            byte[] altered = original.clone();
            altered[at] ^= 0x01;
            Files.write(file, altered);
            IdentityKeyFileException e = assertThrows(IdentityKeyFileException.class, () -> IdentityKeyFile.read(file, PASSCODE));
            assertEquals(IdentityKeyFileException.Problem.TAMPERED, e.problem(), "octet " + at);
        }
        byte[] longer = Arrays.copyOf(original, original.length + 1);
        Files.write(file, longer);
        assertEquals(IdentityKeyFileException.Problem.TAMPERED,
                assertThrows(IdentityKeyFileException.class, () -> IdentityKeyFile.read(file, PASSCODE)).problem());
    }

    @Test
    void anotherFileIsNotMistakenForAnIdentityKey() throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "just some notes, nothing secret here at all, really, nothing", StandardCharsets.UTF_8);
        assertEquals(IdentityKeyFileException.Problem.NOT_AN_IDENTITY_FILE,
                assertThrows(IdentityKeyFileException.class, () -> IdentityKeyFile.read(file, PASSCODE)).problem());
    }

    @Test
    void theKeySignsThroughBouncyCastleTypesAsTheDhtUsesThem() {
        IdentityKey key = IdentityKey.fromSeed(Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Hex.toHexString(key.publicKey()));
        Ed25519PrivateKeyParameters bc = key.privateKey();
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, bc);
        byte[] record = "dht record".getBytes(StandardCharsets.UTF_8);
        signer.update(record, 0, record.length);
        byte[] sig = signer.generateSignature();
        assertArrayEquals(sig, key.sign(record));
        assertTrue(IdentityKey.verify(key.publicKey(), record, sig));
        sig[5] ^= 1;
        assertFalse(IdentityKey.verify(key.publicKey(), record, sig));
    }

    @Test
    void anEmptyPasscodeIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> IdentityKeyFile.write(dir.resolve("k"), IdentityKey.generate(random), new char[0], random));
    }

    @Test
    void loadOrCreateCreatesOnceThenLoadsAndNeverReplacesAnUnreadableFile() throws Exception {
        Path file = dir.resolve("identity.key");
        IdentityKey created = IdentityKeyFile.loadOrCreate(file, PASSCODE, random);
        assertEquals(created, IdentityKeyFile.loadOrCreate(file, PASSCODE, random));
        byte[] before = Files.readAllBytes(file);
        assertThrows(IdentityKeyFileException.class, () -> IdentityKeyFile.loadOrCreate(file, "wrong".toCharArray(), random));
        assertArrayEquals(before, Files.readAllBytes(file), "a wrong passcode must not cost the identity");
    }
}
