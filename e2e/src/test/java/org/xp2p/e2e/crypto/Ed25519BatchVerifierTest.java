package org.xp2p.e2e.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;
import org.xp2p.e2e.crypto.Ed25519BatchVerifier.Item;
import org.xp2p.e2e.crypto.Ed25519BatchVerifier.PublicPoint;

/**
 * {@link Ed25519BatchVerifier} against the RFC 8032 vectors and against Bouncy Castle's single
 * verification, which makes every key and signature here. The small-order construction uses a
 * separate, slow affine model of the curve written with BigInteger, so that it does not lean on
 * the arithmetic under test.
 */
class Ed25519BatchVerifierTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 8032 section 7.1, tests 1 to 3: secret key, public key, message, signature. */
    private static final String[][] RFC8032 = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                 + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                 + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
        {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
         "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
         "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
                 + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    };

    // ---- the specification's vectors ---------------------------------------------------

    @Test
    void rfc8032VectorsVerifyAloneAndTogether() {
        List<Item> all = new ArrayList<>();
        for (String[] v : RFC8032) {
            Ed25519PrivateKeyParameters secret = new Ed25519PrivateKeyParameters(HEX.parseHex(v[0]));
            assertArrayEquals(HEX.parseHex(v[1]), secret.generatePublicKey().getEncoded(), "vector's public key");
            assertArrayEquals(HEX.parseHex(v[3]), sign(secret, HEX.parseHex(v[2])), "vector's signature");
            Item item = new Item(Ed25519BatchVerifier.decode(HEX.parseHex(v[1])), HEX.parseHex(v[2]),
                    HEX.parseHex(v[3]));
            assertTrue(Ed25519BatchVerifier.verifyAll(List.of(item), rng(1)), "vector " + v[1]);
            all.add(item);
        }
        assertTrue(Ed25519BatchVerifier.verifyAll(all, rng(2)));
    }

    @Test
    void emptyBatchIsTrue() {
        assertTrue(Ed25519BatchVerifier.verifyAll(List.of(), rng(3)));
    }

    // ---- valid batches -----------------------------------------------------------------

    @Test
    void validBatchesOfOneKeyVerify() {
        SecureRandom random = rng(10);
        Signer signer = new Signer(random);
        for (int size : new int[] {1, 2, 3, 7, 64}) {
            List<Item> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                batch.add(signer.item(message(random, 256)));
            }
            assertTrue(Ed25519BatchVerifier.verifyAll(batch, random), "one key, " + size + " items");
        }
    }

    @Test
    void validBatchesMixingKeysVerify() {
        SecureRandom random = rng(11);
        List<Signer> signers = List.of(new Signer(random), new Signer(random), new Signer(random));
        for (int size : new int[] {1, 2, 3, 7, 64}) {
            List<Item> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                batch.add(signers.get(random.nextInt(signers.size())).item(message(random, random.nextInt(300))));
            }
            assertTrue(Ed25519BatchVerifier.verifyAll(batch, random), "three keys, " + size + " items");
        }
    }

    @Test
    void separatelyDecodedCopiesOfOneKeyCombine() {
        SecureRandom random = rng(12);
        Signer signer = new Signer(random);
        List<Item> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            PublicPoint again = Ed25519BatchVerifier.decode(signer.publicKey.getEncoded());
            byte[] m = message(random, 40);
            batch.add(new Item(again, m, sign(signer.secret, m)));
        }
        assertTrue(Ed25519BatchVerifier.verifyAll(batch, random));
    }

    // ---- one bad item in 64 ------------------------------------------------------------

    @Test
    void flippedMessageBitFailsTheBatch() {
        assertOneBadItemFails(13, item -> new Item(item.key(), flipBit(item.message(), 77), item.signature()));
    }

    @Test
    void flippedBitOfRFailsTheBatch() {
        assertOneBadItemFails(14, item -> new Item(item.key(), item.message(), flipBit(item.signature(), 9)));
    }

    @Test
    void flippedBitOfSFailsTheBatch() {
        assertOneBadItemFails(15, item -> new Item(item.key(), item.message(), flipBit(item.signature(), 32 * 8 + 3)));
    }

    @Test
    void anotherValidPointAsRFailsTheBatch() {
        SecureRandom random = rng(16);
        byte[] otherR = Arrays.copyOf(new Signer(random).sign(message(random, 10)), 32);
        assertOneBadItemFails(17, item -> {
            byte[] sig = item.signature().clone();
            System.arraycopy(otherR, 0, sig, 0, 32);
            return new Item(item.key(), item.message(), sig);
        });
    }

    @Test
    void wrongKeyFailsTheBatch() {
        PublicPoint stranger = new Signer(rng(18)).point;
        assertOneBadItemFails(19, item -> new Item(stranger, item.message(), item.signature()));
    }

    @Test
    void truncatedSignatureFailsTheBatch() {
        assertOneBadItemFails(20, item -> new Item(item.key(), item.message(), Arrays.copyOf(item.signature(), 63)));
    }

    /** Without random coefficients, S1 + 1 and S2 - 1 would cancel in the summed equation. */
    @Test
    void compensatingErrorsInTwoItemsFailTheBatch() {
        SecureRandom random = rng(26);
        Signer signer = new Signer(random);
        List<Item> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batch.add(signer.item(message(random, 32)));
        }
        batch.set(2, withS(batch.get(2), BigInteger.ONE));
        batch.set(5, withS(batch.get(5), BigInteger.ONE.negate()));
        assertFalse(Ed25519BatchVerifier.verifyAll(batch, random));
    }

    private static Item withS(Item item, BigInteger delta) {
        byte[] sig = item.signature().clone();
        BigInteger s = Octets.fromLittleEndian(sig, 32, 32).add(delta).mod(RefCurve.L);
        System.arraycopy(Octets.littleEndian(s, 32), 0, sig, 32, 32);
        return new Item(item.key(), item.message(), sig);
    }

    @Test
    void sPlusLFailsAsBouncyCastleFailsIt() {
        SecureRandom random = rng(21);
        Signer signer = new Signer(random);
        byte[] m = message(random, 64);
        byte[] sig = signer.sign(m);
        BigInteger s = Octets.fromLittleEndian(sig, 32, 32).add(RefCurve.L);
        System.arraycopy(Octets.littleEndian(s, 32), 0, sig, 32, 32);
        assertFalse(bcVerifies(signer.publicKey.getEncoded(), m, sig), "Bouncy Castle refuses S + L");
        assertFalse(Ed25519BatchVerifier.verifyAll(List.of(new Item(signer.point, m, sig)), random));
        List<Item> batch = new ArrayList<>(List.of(signer.item(m), new Item(signer.point, m, sig)));
        assertFalse(Ed25519BatchVerifier.verifyAll(batch, random));
    }

    @Test
    void rWithYAtOrAboveP() {
        SecureRandom random = rng(22);
        Signer signer = new Signer(random);
        byte[] m = message(random, 16);
        // y = p and y = p + 1: non-canonical spellings of y = 0 and y = 1, both of which are points.
        for (int low : new int[] {0xED, 0xEE}) {
            byte[] sig = signer.sign(m);
            Arrays.fill(sig, 0, 32, (byte) 0xFF);
            sig[0] = (byte) low;
            sig[31] = 0x7F;
            assertFalse(Ed25519BatchVerifier.verifyAll(List.of(new Item(signer.point, m, sig)), random));
            assertFalse(bcVerifies(signer.publicKey.getEncoded(), m, sig));
        }
    }

    @Test
    void rThatIsNotAPoint() {
        SecureRandom random = rng(23);
        Signer signer = new Signer(random);
        byte[] m = message(random, 16);
        byte[] sig = signer.sign(m);
        System.arraycopy(RefCurve.encodeY(RefCurve.firstYWithoutX()), 0, sig, 0, 32);
        assertFalse(Ed25519BatchVerifier.verifyAll(List.of(new Item(signer.point, m, sig)), random));
        assertFalse(bcVerifies(signer.publicKey.getEncoded(), m, sig));
    }

    // ---- keys --------------------------------------------------------------------------

    @Test
    void decodeRefusesBadKeysWithAReason() {
        byte[] yIsP = new byte[32];
        Arrays.fill(yIsP, (byte) 0xFF);
        yIsP[0] = (byte) 0xED;
        yIsP[31] = 0x7F;
        assertKeyRefused("not canonical", yIsP);
        assertKeyRefused("not a curve point", RefCurve.encodeY(RefCurve.firstYWithoutX()));
        byte[] negativeZero = new byte[32];
        negativeZero[0] = 1;
        negativeZero[31] = (byte) 0x80; // y = 1, x = 0, sign bit set
        assertKeyRefused("x = 0 with the sign bit set", negativeZero);
        byte[] identity = new byte[32];
        identity[0] = 1;
        assertKeyRefused("small order", identity);
        assertKeyRefused("small order", RefCurve.encode(RefCurve.pointOfOrder8()));
        assertMessage("32 octets", () -> Ed25519BatchVerifier.decode(new byte[31]));
    }

    // ---- the one difference from single verification -----------------------------------

    /**
     * R' = R + T with T of order 8, S' re-derived by the signer for R': the cofactorless equation
     * S'B = R' + k'A fails (checked with the reference model), the cofactored one holds, and both
     * the batch and Bouncy Castle 1.83 (which clears the cofactor as well) accept the signature.
     */
    @Test
    void signatureWithSmallOrderComponentInRPassesBatchAndBouncyCastleButNotTheCofactorlessEquation()
            throws Exception {
        SecureRandom random = rng(24);
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        Ed25519PrivateKeyParameters secret = new Ed25519PrivateKeyParameters(seed);
        byte[] publicKey = secret.generatePublicKey().getEncoded();
        byte[] m = message(random, 100);
        byte[] sig = sign(secret, m);

        byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
        BigInteger a = secretScalar(h);
        BigInteger r = reduced(sha512(Arrays.copyOfRange(h, 32, 64), m));
        // The derivation matches the signer's: S = r + k a.
        BigInteger k = reduced(sha512(Arrays.copyOf(sig, 32), publicKey, m));
        assertEquals(Octets.fromLittleEndian(sig, 32, 32), r.add(k.multiply(a)).mod(RefCurve.L));

        byte[] twistedR = RefCurve.encode(RefCurve.add(RefCurve.decode(Arrays.copyOf(sig, 32)), RefCurve.pointOfOrder8()));
        BigInteger twistedK = reduced(sha512(twistedR, publicKey, m));
        BigInteger twistedS = r.add(twistedK.multiply(a)).mod(RefCurve.L);
        byte[] twisted = Octets.concat(twistedR, Octets.littleEndian(twistedS, 32));

        BigInteger[] sB = RefCurve.multiply(twistedS, RefCurve.decode(RefCurve.BASE));
        BigInteger[] rPlusKA = RefCurve.add(RefCurve.decode(twistedR),
                RefCurve.multiply(twistedK, RefCurve.decode(publicKey)));
        assertFalse(Arrays.equals(sB, rPlusKA), "the cofactorless equation fails");
        BigInteger eight = BigInteger.valueOf(8);
        assertArrayEquals(RefCurve.multiply(eight, sB), RefCurve.multiply(eight, rPlusKA), "the cofactored one holds");

        assertTrue(bcVerifies(publicKey, m, twisted), "Bouncy Castle 1.83 checks the cofactored equation too");
        PublicPoint key = Ed25519BatchVerifier.decode(publicKey);
        assertTrue(Ed25519BatchVerifier.verifyAll(List.of(new Item(key, m, twisted)), random));
        List<Item> batch = new ArrayList<>();
        batch.add(new Item(key, m, twisted));
        for (int i = 0; i < 10; i++) {
            byte[] other = message(random, 30);
            batch.add(new Item(key, other, sign(secret, other)));
        }
        assertTrue(Ed25519BatchVerifier.verifyAll(batch, random), "and it passes inside a batch");
    }

    /**
     * A' = A + T with T of order 8, and S' = r + k'a made by the owner of a for R = rB: the
     * cofactorless equation fails ([k']T remains), the cofactored one holds; Bouncy Castle
     * accepts such a key (it refuses only the eight small-order points themselves) and the
     * signature, and so does the batch.
     */
    @Test
    void keyWithSmallOrderComponentIsAcceptedLikeBouncyCastleAcceptsIt() throws Exception {
        SecureRandom random = rng(28);
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        Ed25519PrivateKeyParameters secret = new Ed25519PrivateKeyParameters(seed);
        byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
        BigInteger a = secretScalar(h);
        byte[] twistedKey = RefCurve.encode(RefCurve.add(RefCurve.decode(secret.generatePublicKey().getEncoded()),
                RefCurve.pointOfOrder8()));
        byte[] m;
        byte[] rEncoded;
        BigInteger k;
        do { // a k' divisible by 8 would clear T by itself and prove nothing
            m = message(random, 50);
            rEncoded = Arrays.copyOf(sign(secret, m), 32);
            k = reduced(sha512(rEncoded, twistedKey, m));
        } while (k.mod(BigInteger.valueOf(8)).signum() == 0);
        BigInteger r = reduced(sha512(Arrays.copyOfRange(h, 32, 64), m));
        byte[] sig = Octets.concat(rEncoded, Octets.littleEndian(r.add(k.multiply(a)).mod(RefCurve.L), 32));

        BigInteger[] sB = RefCurve.multiply(Octets.fromLittleEndian(sig, 32, 32), RefCurve.decode(RefCurve.BASE));
        BigInteger[] rPlusKA = RefCurve.add(RefCurve.decode(rEncoded), RefCurve.multiply(k, RefCurve.decode(twistedKey)));
        assertFalse(Arrays.equals(sB, rPlusKA), "the cofactorless equation fails");

        assertTrue(bcVerifies(twistedKey, m, sig), "Bouncy Castle accepts the key and the signature");
        PublicPoint key = Ed25519BatchVerifier.decode(twistedKey);
        assertTrue(Ed25519BatchVerifier.verifyAll(List.of(new Item(key, m, sig)), random));
        byte[] other = message(random, 50);
        BigInteger otherR = reduced(sha512(Arrays.copyOfRange(h, 32, 64), other));
        byte[] otherREncoded = RefCurve.encode(RefCurve.multiply(otherR, RefCurve.decode(RefCurve.BASE)));
        BigInteger otherK = reduced(sha512(otherREncoded, twistedKey, other));
        byte[] otherSig = Octets.concat(otherREncoded,
                Octets.littleEndian(otherR.add(otherK.multiply(a)).mod(RefCurve.L), 32));
        assertTrue(Ed25519BatchVerifier.verifyAll(List.of(new Item(key, m, sig), new Item(key, other, otherSig)), random),
                "two such signatures combine under the one key");
    }

    private static BigInteger secretScalar(byte[] seedHash) {
        byte[] scalar = Arrays.copyOf(seedHash, 32);
        scalar[0] &= (byte) 0xF8;
        scalar[31] &= 0x7F;
        scalar[31] |= 0x40;
        return Octets.fromLittleEndian(scalar, 0, 32);
    }

    @Test
    void concurrentBatchesOnOneDecodedKeyAllVerify() throws Exception {
        SecureRandom random = rng(29);
        Signer signer = new Signer(random);
        List<Item> pool = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            pool.add(signer.item(message(random, 64)));
        }
        List<Item> spoilt = new ArrayList<>(pool);
        spoilt.set(40, new Item(signer.point, flipBit(pool.get(40).message(), 5), pool.get(40).signature()));
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> valid = new ArrayList<>();
            List<java.util.concurrent.Future<Boolean>> invalid = new ArrayList<>();
            for (int task = 0; task < 16; task++) {
                int from = (task % 4) * 16;
                valid.add(threads.submit(() -> Ed25519BatchVerifier.verifyAll(pool.subList(from, from + 16),
                        new SecureRandom())));
                invalid.add(threads.submit(() -> Ed25519BatchVerifier.verifyAll(spoilt.subList(32, 48),
                        new SecureRandom())));
            }
            for (int i = 0; i < valid.size(); i++) {
                assertTrue(valid.get(i).get(), "valid batch " + i);
                assertFalse(invalid.get(i).get(), "spoilt batch " + i);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    // ---- agreement with Bouncy Castle --------------------------------------------------

    @Test
    void agreesWithBouncyCastleOnRandomAndCorruptedSignatures() {
        SecureRandom random = rng(25);
        int corrupted = 0;
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            Signer signer = new Signer(random);
            byte[] key = signer.publicKey.getEncoded();
            byte[] m = message(random, random.nextInt(300));
            byte[] sig = signer.sign(m);
            if (i % 2 == 1) {
                corrupted++;
                switch (random.nextInt(5)) {
                    case 0 -> m = m.length == 0 ? new byte[] {1} : flipBit(m, random.nextInt(m.length * 8));
                    case 1 -> sig = flipBit(sig, random.nextInt(256)); // in R
                    case 2 -> sig = flipBit(sig, 256 + random.nextInt(256)); // in S
                    case 3 -> key = flipBit(key, random.nextInt(256));
                    default -> sig = Arrays.copyOf(sig, random.nextInt(64));
                }
            }
            boolean bc = bcVerifies(key, m, sig);
            boolean batch;
            try {
                batch = Ed25519BatchVerifier.verifyAll(List.of(new Item(Ed25519BatchVerifier.decode(key), m, sig)),
                        random);
            } catch (IllegalArgumentException badKey) {
                batch = false;
            }
            assertEquals(bc, batch, "triple " + i + ": key " + HEX.formatHex(key) + " signature " + HEX.formatHex(sig));
            refused += bc ? 0 : 1;
        }
        assertEquals(100, corrupted);
        assertTrue(refused >= 95, "nearly every corruption is refused, " + refused);
    }

    // ---- the digit recoding the multi-scalar multiplication relies on --------------------

    @Test
    void wnafDigitsAreOddSparseAndRebuildTheScalar() {
        SecureRandom random = rng(27);
        for (int w = 4; w <= 8; w++) {
            for (int trial = 0; trial < 200; trial++) {
                int[] words = new int[4];
                for (int i = 0; i < 4; i++) {
                    words[i] = trial == 0 ? -1 : random.nextInt(); // all ones first: the longest carry
                }
                byte[] naf = Ed25519BatchVerifier.wnaf(words, w);
                BigInteger rebuilt = BigInteger.ZERO;
                int lastNonZero = -w;
                for (int pos = 0; pos < naf.length; pos++) {
                    int d = naf[pos];
                    if (d != 0) {
                        assertTrue((d & 1) == 1 && Math.abs(d) < (1 << (w - 1)), "digit " + d + " for w = " + w);
                        assertTrue(pos - lastNonZero >= w, "digits at " + lastNonZero + " and " + pos);
                        lastNonZero = pos;
                        rebuilt = rebuilt.add(BigInteger.valueOf(d).shiftLeft(pos));
                    }
                }
                BigInteger expected = BigInteger.ZERO;
                for (int i = 3; i >= 0; i--) {
                    expected = expected.shiftLeft(32).or(BigInteger.valueOf(words[i] & 0xFFFFFFFFL));
                }
                assertEquals(expected, rebuilt, "w = " + w);
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------

    private static void assertOneBadItemFails(long seed, UnaryOperator<Item> spoil) {
        SecureRandom random = rng(seed);
        Signer signer = new Signer(random);
        List<Item> batch = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            batch.add(signer.item(message(random, 256)));
        }
        assertTrue(Ed25519BatchVerifier.verifyAll(batch, random), "the unspoilt batch verifies");
        int bad = random.nextInt(64);
        batch.set(bad, spoil.apply(batch.get(bad)));
        assertFalse(Ed25519BatchVerifier.verifyAll(batch, random), "item " + bad + " spoilt");
        for (int i = 0; i < batch.size(); i++) {
            assertEquals(i != bad, Ed25519BatchVerifier.verifyAll(List.of(batch.get(i)), random), "item " + i + " alone");
        }
    }

    private static void assertMessage(String expected, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Our decode refuses the key with a reason, and Bouncy Castle refuses it too. */
    private static void assertKeyRefused(String expected, byte[] key) {
        assertMessage(expected, () -> Ed25519BatchVerifier.decode(key));
        assertThrows(IllegalArgumentException.class, () -> new Ed25519PublicKeyParameters(key),
                "Bouncy Castle refuses it as well");
    }

    /** A repeatable generator: SHA1PRNG seeded before first use gives the same stream every run. */
    private static SecureRandom rng(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] message(SecureRandom random, int length) {
        byte[] m = new byte[length];
        random.nextBytes(m);
        return m;
    }

    private static byte[] flipBit(byte[] octets, int bit) {
        byte[] copy = octets.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    private static byte[] sign(Ed25519PrivateKeyParameters secret, byte[] m) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, secret);
        signer.update(m, 0, m.length);
        return signer.generateSignature();
    }

    private static boolean bcVerifies(byte[] key, byte[] m, byte[] sig) {
        Ed25519PublicKeyParameters publicKey;
        try {
            publicKey = new Ed25519PublicKeyParameters(key);
        } catch (IllegalArgumentException notAPoint) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, publicKey);
        verifier.update(m, 0, m.length);
        return verifier.verifySignature(sig);
    }

    private static byte[] sha512(byte[]... parts) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-512");
        for (byte[] p : parts) {
            digest.update(p);
        }
        return digest.digest();
    }

    private static BigInteger reduced(byte[] hash) {
        return Octets.fromLittleEndian(hash, 0, hash.length).mod(RefCurve.L);
    }

    /** One key pair from Bouncy Castle, with its decoded point. */
    private static final class Signer {
        final Ed25519PrivateKeyParameters secret;
        final Ed25519PublicKeyParameters publicKey;
        final PublicPoint point;

        Signer(SecureRandom random) {
            secret = new Ed25519PrivateKeyParameters(random);
            publicKey = secret.generatePublicKey();
            point = Ed25519BatchVerifier.decode(publicKey.getEncoded());
        }

        byte[] sign(byte[] m) {
            return Ed25519BatchVerifierTest.sign(secret, m);
        }

        Item item(byte[] m) {
            return new Item(point, m, sign(m));
        }
    }

    /** The curve in affine coordinates over BigInteger: slow and obviously right, for building test inputs. */
    static final class RefCurve {
        static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
        static final BigInteger L = BigInteger.ONE.shiftLeft(252)
                .add(new BigInteger("27742317777372353535851937790883648493"));
        static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
        static final BigInteger[] IDENTITY = {BigInteger.ZERO, BigInteger.ONE};
        static final byte[] BASE = HEX.parseHex("5866666666666666666666666666666666666666666666666666666666666666");

        static BigInteger[] add(BigInteger[] p, BigInteger[] q) {
            BigInteger x1y2 = p[0].multiply(q[1]);
            BigInteger y1x2 = p[1].multiply(q[0]);
            BigInteger y1y2 = p[1].multiply(q[1]);
            BigInteger x1x2 = p[0].multiply(q[0]);
            BigInteger dxxyy = D.multiply(x1x2).multiply(y1y2).mod(P);
            BigInteger x = x1y2.add(y1x2).multiply(BigInteger.ONE.add(dxxyy).modInverse(P)).mod(P);
            BigInteger y = y1y2.add(x1x2).multiply(BigInteger.ONE.subtract(dxxyy).mod(P).modInverse(P)).mod(P);
            return new BigInteger[] {x, y};
        }

        static BigInteger[] multiply(BigInteger k, BigInteger[] p) {
            BigInteger[] r = IDENTITY;
            for (int i = k.bitLength() - 1; i >= 0; i--) {
                r = add(r, r);
                if (k.testBit(i)) {
                    r = add(r, p);
                }
            }
            return r;
        }

        /** x^2 for a y, or null when (y^2 - 1)/(d y^2 + 1) has no square root. */
        static BigInteger xSquared(BigInteger y) {
            BigInteger yy = y.multiply(y);
            return yy.subtract(BigInteger.ONE).multiply(D.multiply(yy).add(BigInteger.ONE).modInverse(P)).mod(P);
        }

        static boolean isSquare(BigInteger v) {
            return v.signum() == 0 || v.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
        }

        static BigInteger[] decode(byte[] enc) {
            byte[] yOctets = enc.clone();
            yOctets[31] &= 0x7F;
            BigInteger y = Octets.fromLittleEndian(yOctets, 0, 32);
            BigInteger xx = xSquared(y);
            BigInteger x = xx.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
            if (!x.multiply(x).mod(P).equals(xx)) {
                x = x.multiply(BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P)).mod(P);
            }
            if (!x.multiply(x).mod(P).equals(xx)) {
                throw new IllegalArgumentException("not a point");
            }
            if (x.testBit(0) != ((enc[31] & 0x80) != 0)) {
                x = P.subtract(x).mod(P);
            }
            return new BigInteger[] {x, y};
        }

        static byte[] encode(BigInteger[] p) {
            byte[] enc = encodeY(p[1]);
            if (p[0].testBit(0)) {
                enc[31] |= (byte) 0x80;
            }
            return enc;
        }

        static byte[] encodeY(BigInteger y) {
            return Octets.littleEndian(y, 32);
        }

        static BigInteger firstYWithoutX() {
            for (BigInteger y = BigInteger.TWO; ; y = y.add(BigInteger.ONE)) {
                if (!isSquare(xSquared(y))) {
                    return y;
                }
            }
        }

        /** L·P for curve points P until one has order exactly 8 (L·P kills the prime-order part). */
        static BigInteger[] pointOfOrder8() {
            for (BigInteger y = BigInteger.TWO; ; y = y.add(BigInteger.ONE)) {
                if (!isSquare(xSquared(y))) {
                    continue;
                }
                BigInteger[] t = multiply(L, decode(encodeY(y)));
                BigInteger[] t4 = multiply(BigInteger.valueOf(4), t);
                if (!Arrays.equals(t4, IDENTITY)) {
                    assertArrayEquals(IDENTITY, multiply(BigInteger.valueOf(8), t));
                    return t;
                }
            }
        }
    }
}
