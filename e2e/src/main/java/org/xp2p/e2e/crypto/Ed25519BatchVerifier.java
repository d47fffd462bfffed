package org.xp2p.e2e.crypto;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * Verifies many pure Ed25519 signatures (RFC 8032, no context) at once, for the bursts of
 * stanzas one peer sends, all signed with the same key. One batch costs far less than
 * verifying each signature alone because the doublings are shared by every item, and all
 * items of one key collapse into a single scalar multiplication of that key.
 *
 * <p><b>What each item must satisfy</b>, or {@link #verifyAll} answers false: the signature
 * is 64 octets R || S; S &lt; L as an integer (no reduction, so S + L is refused as Bouncy
 * Castle refuses it); R is a canonical point encoding (y &lt; p, a square root exists, and
 * not x = 0 with the sign bit set). The key was checked by {@link #decode}: canonical, on
 * the curve, and not of small order.
 *
 * <p><b>The equation</b> is the cofactored one of RFC 8032 section 5.1.7, summed over the
 * batch with independent random 128-bit coefficients z_i:
 * [8]( (Σ z_i·S_i)·B − Σ z_i·R_i − Σ_keys (Σ z_i·k_i)·A ) = identity, where
 * k_i = SHA-512(R_i || A_i || M_i) mod L. A batch holding at least one signature that
 * fails the cofactored equation passes with probability about 2^-128.
 *
 * <p><b>Agreement with Bouncy Castle's single verification.</b> A signature whose R or key A
 * has a small-order component (R = r·B + T or A = a·B + T, T of order 2, 4 or 8, S made by
 * the owner of a) satisfies the cofactored equation but in general not the cofactorless
 * S·B = R + k·A. Bouncy Castle 1.83 checks the cofactored one too (its Straus loop ends with
 * three doublings), accepts keys with a small-order component and refuses only the
 * small-order points themselves, as {@link #decode} does. So an item passes here exactly
 * when it passes Bouncy Castle's {@code Ed25519Signer} alone, but for the 2^-128 chance
 * above, and a failed batch can be settled by checking its items there one by one;
 * Ed25519BatchVerifierTest holds both to that on constructed R + T and A + T examples.
 *
 * <p>Stateless and thread-safe: all tables are built at class initialisation or in
 * {@link #decode} and never written afterwards; each call works on its own objects.
 * Everything here is public data, so the arithmetic runs in variable time. The arrays
 * inside an {@link Item} must not change while {@link #verifyAll} runs.
 */
public final class Ed25519BatchVerifier {
    private static final int POINT_OCTETS = 32;
    private static final int SIGNATURE_OCTETS = 64;
    private static final int COEFFICIENT_OCTETS = 16;
    /** The group order, 2^252 + 27742317777372353535851937790883648493. */
    private static final BigInteger L = BigInteger.ONE.shiftLeft(252)
            .add(new BigInteger("27742317777372353535851937790883648493"));

    /*
     * Every scalar is cut into 128-bit halves, x = x_lo + 2^128 x_hi, with tables for P and
     * for 2^128 P, so that the shared doubling chain is 128 long instead of 253 (the R
     * coefficients are 128 bits anyway). wNAF window widths: B's tables are static, so they
     * can be wide (64 entries each); a key's tables are built once per peer key in decode;
     * each R gets a fresh 8-entry table for its coefficient.
     */
    private static final int BASE_WINDOW = 8;
    private static final int KEY_WINDOW = 6;
    private static final int R_WINDOW = 5;
    private static final int HALF_BITS = 128;
    /** Room for a 128-bit half's digits plus the final carry a window may push past it. */
    private static final int NAF_LENGTH = HALF_BITS + BASE_WINDOW + 1;

    private static final int[] D = curveD();
    private static final int[] D2 = twice(D);
    private static final SplitTable BASE_TABLES = baseTables();

    private Ed25519BatchVerifier() {
    }

    /** A decoded Ed25519 public key: decode once per peer key, reuse for every batch. Immutable, thread-safe. */
    public static final class PublicPoint {
        private final byte[] encoded;
        /** Odd multiples of the negated key −A and of −2^128 A, affine, for the key's wNAF digits. */
        private final SplitTable negatedTables;

        private PublicPoint(byte[] encoded, SplitTable negatedTables) {
            this.encoded = encoded;
            this.negatedTables = negatedTables;
        }

        /** Two points are equal when their encodings are (the encoding is canonical). */
        @Override
        public boolean equals(Object o) {
            return o instanceof PublicPoint p && Arrays.equals(encoded, p.encoded);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(encoded);
        }

        @Override
        public String toString() {
            return "Ed25519 key " + java.util.HexFormat.of().formatHex(encoded);
        }
    }

    /**
     * The key decoded, or throws IllegalArgumentException (clear message) when the 32 octets are not a canonical
     * point encoding. Keys of small order (the identity and the other points of order 2, 4 or 8) are refused too,
     * as Bouncy Castle refuses them: nobody owns their secret, and under the cofactored equation anyone could sign
     * for them.
     */
    public static PublicPoint decode(byte[] encodedPublicKey) {
        Objects.requireNonNull(encodedPublicKey, "encodedPublicKey");
        if (encodedPublicKey.length != POINT_OCTETS) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 octets, not " + encodedPublicKey.length);
        }
        if (!isCanonicalY(encodedPublicKey, 0)) {
            throw new IllegalArgumentException("Ed25519 public key is not canonical: its y is not below 2^255 - 19");
        }
        Extended a = new Extended();
        switch (decompress(encodedPublicKey, 0, true, a)) {
            case NOT_ON_CURVE -> throw new IllegalArgumentException(
                    "Ed25519 public key is not a curve point: no x exists for its y");
            case NEGATIVE_ZERO -> throw new IllegalArgumentException(
                    "Ed25519 public key is not canonical: x = 0 with the sign bit set");
            case OK -> { }
        }
        Extended eightA = new Extended();
        Temp t = new Temp();
        doubling(a, eightA, false, t);
        doubling(eightA, eightA, false, t);
        doubling(eightA, eightA, false, t);
        if (isIdentity(eightA, t)) {
            throw new IllegalArgumentException("Ed25519 public key is a point of small order");
        }
        return new PublicPoint(encodedPublicKey.clone(), SplitTable.of(a, KEY_WINDOW, t));
    }

    /** One signature to check: signature is the 64 octets R || S of RFC 8032 (pure Ed25519, no context). */
    public record Item(PublicPoint key, byte[] message, byte[] signature) {
        public Item {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(signature, "signature");
        }
    }

    /**
     * True when every item verifies; false when at least one does not (the caller then checks them one by one).
     * An empty list is true. Stateless and thread-safe; random gives the 128-bit batch coefficients.
     */
    public static boolean verifyAll(List<Item> items, SecureRandom random) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(random, "random");
        int n = items.size();
        if (n == 0) {
            return true;
        }
        byte[] coefficients = new byte[COEFFICIENT_OCTETS * n];
        random.nextBytes(coefficients);
        MessageDigest sha512 = newSha512();
        Temp t = new Temp();

        List<Term> terms = new ArrayList<>(n + 2);
        Map<PublicPoint, BigInteger> keyScalars = new HashMap<>();
        BigInteger baseScalar = BigInteger.ZERO;
        for (int i = 0; i < n; i++) {
            Item item = items.get(i);
            byte[] sig = item.signature();
            if (sig.length != SIGNATURE_OCTETS) {
                return false;
            }
            BigInteger s = littleEndian(sig, POINT_OCTETS, POINT_OCTETS);
            if (s.compareTo(L) >= 0 || !isCanonicalY(sig, 0)) {
                return false;
            }
            Extended negR = new Extended();
            if (decompress(sig, 0, true, negR) != Decoded.OK) {
                return false;
            }
            byte[] zOctets = Arrays.copyOfRange(coefficients, i * COEFFICIENT_OCTETS, (i + 1) * COEFFICIENT_OCTETS);
            BigInteger z = littleEndian(zOctets, 0, COEFFICIENT_OCTETS);
            sha512.update(sig, 0, POINT_OCTETS);
            sha512.update(item.key().encoded);
            sha512.update(item.message());
            BigInteger k = littleEndian(sha512.digest(), 0, 64).mod(L);

            baseScalar = baseScalar.add(z.multiply(s));
            keyScalars.merge(item.key(), z.multiply(k), BigInteger::add);
            terms.add(new Term(wnaf(words(zOctets), R_WINDOW), oddMultiples(negR, R_WINDOW, t), false));
        }
        addSplit(terms, baseScalar.mod(L), BASE_TABLES, BASE_WINDOW);
        for (Map.Entry<PublicPoint, BigInteger> e : keyScalars.entrySet()) {
            addSplit(terms, e.getValue().mod(L), e.getKey().negatedTables, KEY_WINDOW);
        }

        Extended sum = straus(terms, t);
        doubling(sum, sum, false, t);
        doubling(sum, sum, false, t);
        doubling(sum, sum, false, t);
        return isIdentity(sum, t);
    }

    // ---- multi-scalar multiplication -------------------------------------------------

    /** One point of the sum: its scalar's wNAF digits and the odd multiples they index. */
    private record Term(byte[] naf, Cached[] table, boolean affine) {
    }

    /** Affine odd multiples of a long-lived point P and of 2^128 P. */
    private record SplitTable(Cached[] low, Cached[] high) {
        static SplitTable of(Extended p, int w, Temp t) {
            Extended high = p.copy();
            for (int i = 0; i < HALF_BITS; i++) {
                doubling(high, high, true, t);
            }
            return new SplitTable(affineOddMultiples(p, w, t), affineOddMultiples(high, w, t));
        }
    }

    /** x·P as x_lo·P + x_hi·(2^128 P), for a scalar x below L. */
    private static void addSplit(List<Term> terms, BigInteger scalar, SplitTable tables, int w) {
        int[] words = words(scalar);
        terms.add(new Term(wnaf(Arrays.copyOfRange(words, 0, 4), w), tables.low(), true));
        terms.add(new Term(wnaf(Arrays.copyOfRange(words, 4, 8), w), tables.high(), true));
    }

    /**
     * Σ scalar_j · P_j, all digit positions walked together so that the doublings are shared.
     * T is computed only where an addition reads it next, which saves a multiplication per
     * digit position in small batches.
     */
    private static Extended straus(List<Term> terms, Temp t) {
        int top = -1;
        for (Term term : terms) {
            top = Math.max(top, highestDigit(term.naf()));
        }
        Extended acc = Extended.identity();
        int[] adding = new int[terms.size()];
        boolean started = false;
        for (int pos = top; pos >= 0; pos--) {
            int count = 0;
            for (int j = 0; j < adding.length; j++) {
                if (terms.get(j).naf()[pos] != 0) {
                    adding[count++] = j;
                }
            }
            if (started) {
                doubling(acc, acc, count > 0, t);
            }
            for (int i = 0; i < count; i++) {
                Term term = terms.get(adding[i]);
                int digit = term.naf()[pos];
                add(acc, term.table()[Math.abs(digit) >> 1], digit < 0, term.affine(), acc, i + 1 < count, t);
                started = true;
            }
        }
        return acc;
    }

    private static int highestDigit(byte[] naf) {
        for (int i = naf.length - 1; i >= 0; i--) {
            if (naf[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Width-w non-adjacent form of a 128-bit scalar given as 4 little-endian 32-bit words: odd
     * digits below 2^(w-1) in absolute value, at least w-1 zeros after each.
     */
    static byte[] wnaf(int[] k, int w) {
        byte[] naf = new byte[NAF_LENGTH];
        int carry = 0;
        int pos = 0;
        while (pos < HALF_BITS) {
            int bit = (k[pos >>> 5] >>> (pos & 31)) & 1;
            if (bit == carry) {
                pos++; // the bit plus the carry is even: a zero digit, the carry passes on unchanged
                continue;
            }
            int window = bits(k, pos, w) + carry;
            int digit = window;
            carry = 0;
            if ((window & (1 << (w - 1))) != 0) {
                digit = window - (1 << w);
                carry = 1;
            }
            naf[pos] = (byte) digit;
            pos += w;
        }
        if (carry != 0) {
            naf[pos] = 1;
        }
        return naf;
    }

    private static int bits(int[] k, int pos, int w) {
        int word = pos >>> 5;
        int shift = pos & 31;
        long v = (k[word] & 0xFFFFFFFFL) >>> shift;
        if (shift + w > 32 && word + 1 < k.length) {
            v |= (k[word + 1] & 0xFFFFFFFFL) << (32 - shift);
        }
        return (int) v & ((1 << w) - 1);
    }

    /** P, 3P, 5P, …, (2^(w-1) - 1)P. */
    private static Extended[] oddMultiplesExtended(Extended p, int w, Temp t) {
        Extended[] multiples = new Extended[1 << (w - 2)];
        multiples[0] = p;
        Extended twiceP = new Extended();
        doubling(p, twiceP, true, t);
        Cached twice = Cached.of(twiceP);
        for (int i = 1; i < multiples.length; i++) {
            multiples[i] = new Extended();
            add(multiples[i - 1], twice, false, false, multiples[i], true, t);
        }
        return multiples;
    }

    /** The odd multiples in cached form, for a table used once. */
    private static Cached[] oddMultiples(Extended p, int w, Temp t) {
        Extended[] multiples = oddMultiplesExtended(p, w, t);
        Cached[] table = new Cached[multiples.length];
        for (int i = 0; i < table.length; i++) {
            table[i] = Cached.of(multiples[i]);
        }
        return table;
    }

    /**
     * The odd multiples scaled to Z = 1, which saves one multiplication per addition; for
     * long-lived tables. One inversion for the whole table (Montgomery's trick).
     */
    private static Cached[] affineOddMultiples(Extended p, int w, Temp t) {
        Extended[] multiples = oddMultiplesExtended(p, w, t);
        int n = multiples.length;
        int[][] prefix = new int[n][];
        prefix[0] = multiples[0].z.clone();
        for (int i = 1; i < n; i++) {
            prefix[i] = X25519Field.create();
            X25519Field.mul(prefix[i - 1], multiples[i].z, prefix[i]);
        }
        int[] inverse = X25519Field.create();
        X25519Field.invVar(prefix[n - 1], inverse);
        Cached[] table = new Cached[n];
        int[] zInverse = X25519Field.create();
        for (int i = n - 1; i >= 0; i--) {
            if (i > 0) {
                X25519Field.mul(inverse, prefix[i - 1], zInverse); // 1/z_i
                X25519Field.mul(inverse, multiples[i].z, inverse); // 1/(z_0 … z_{i-1})
            } else {
                X25519Field.copy(inverse, 0, zInverse, 0);
            }
            table[i] = Cached.affine(multiples[i], zInverse);
        }
        return table;
    }

    // ---- points: extended twisted Edwards coordinates, a = -1 ---------------------------

    /** (X : Y : Z : T) with x = X/Z, y = Y/Z, x·y = T/Z. */
    private static final class Extended {
        final int[] x = X25519Field.create();
        final int[] y = X25519Field.create();
        final int[] z = X25519Field.create();
        final int[] t = X25519Field.create();

        static Extended identity() {
            Extended p = new Extended();
            X25519Field.one(p.y);
            X25519Field.one(p.z);
            return p;
        }

        Extended copy() {
            Extended c = new Extended();
            X25519Field.copy(x, 0, c.x, 0);
            X25519Field.copy(y, 0, c.y, 0);
            X25519Field.copy(z, 0, c.z, 0);
            X25519Field.copy(t, 0, c.t, 0);
            return c;
        }
    }

    /** A second addend prepared once: (Y+X, Y-X, 2d·T, 2Z); for an affine entry Z = 1 and twoZ is unused. */
    private static final class Cached {
        final int[] yPlusX = X25519Field.create();
        final int[] yMinusX = X25519Field.create();
        final int[] twoDT = X25519Field.create();
        final int[] twoZ = X25519Field.create();
        static Cached of(Extended p) {
            Cached c = new Cached();
            X25519Field.apm(p.y, p.x, c.yPlusX, c.yMinusX);
            X25519Field.mul(p.t, D2, c.twoDT);
            X25519Field.add(p.z, p.z, c.twoZ);
            return c;
        }

        static Cached affine(Extended source, int[] zInverse) {
            int[] x = X25519Field.create();
            int[] y = X25519Field.create();
            int[] xy = X25519Field.create();
            X25519Field.mul(source.x, zInverse, x);
            X25519Field.mul(source.y, zInverse, y);
            X25519Field.mul(x, y, xy);
            Cached c = new Cached();
            X25519Field.apm(y, x, c.yPlusX, c.yMinusX);
            X25519Field.mul(xy, D2, c.twoDT);
            X25519Field.one(c.twoZ);
            X25519Field.add(c.twoZ, c.twoZ, c.twoZ);
            return c;
        }
    }

    /** Scratch field elements, one set per call, so that the formulas allocate nothing. */
    private static final class Temp {
        final int[] a = X25519Field.create();
        final int[] b = X25519Field.create();
        final int[] c = X25519Field.create();
        final int[] d = X25519Field.create();
        final int[] e = X25519Field.create();
        final int[] f = X25519Field.create();
        final int[] g = X25519Field.create();
        final int[] h = X25519Field.create();
    }

    /**
     * r = 2p (r may be p; r's T only {@code withT}, else stale). The doubling of Hisil, Wong,
     * Carter and Dawson for a = -1, with E, F, G and H all negated, which leaves the four
     * products unchanged.
     */
    private static void doubling(Extended p, Extended r, boolean withT, Temp t) {
        X25519Field.sqr(p.x, t.a);
        X25519Field.sqr(p.y, t.b);
        X25519Field.sqr(p.z, t.c);
        X25519Field.add(t.c, t.c, t.c);
        X25519Field.add(p.x, p.y, t.e);
        X25519Field.sqr(t.e, t.e);
        X25519Field.apm(t.a, t.b, t.h, t.g);   // H' = A + B, G' = A - B
        X25519Field.sub(t.h, t.e, t.e);        // E' = A + B - (X + Y)^2
        X25519Field.carry(t.e);
        X25519Field.add(t.c, t.g, t.f);        // F' = 2Z^2 + A - B
        X25519Field.carry(t.f);
        X25519Field.mul(t.e, t.f, r.x);
        X25519Field.mul(t.g, t.h, r.y);
        X25519Field.mul(t.f, t.g, r.z);
        if (withT) {
            X25519Field.mul(t.e, t.h, r.t);
        }
    }

    /** r = p + q, or p - q when {@code negate} (r may be p); r's T only {@code withT}, else stale. */
    private static void add(Extended p, Cached q, boolean negate, boolean affine, Extended r, boolean withT,
            Temp t) {
        int[] qPlus = negate ? q.yMinusX : q.yPlusX;
        int[] qMinus = negate ? q.yPlusX : q.yMinusX;
        X25519Field.apm(p.y, p.x, t.b, t.a);
        X25519Field.mul(t.a, qMinus, t.a);     // A = (Y1 - X1)(Y2 - X2)
        X25519Field.mul(t.b, qPlus, t.b);      // B = (Y1 + X1)(Y2 + X2)
        X25519Field.mul(p.t, q.twoDT, t.c);    // C = 2d T1 T2 (its sign flips with negate)
        if (affine) {
            X25519Field.add(p.z, p.z, t.d);    // D = 2 Z1, as Z2 = 1
        } else {
            X25519Field.mul(p.z, q.twoZ, t.d); // D = 2 Z1 Z2
        }
        X25519Field.apm(t.b, t.a, t.h, t.e);   // H = B + A, E = B - A
        if (negate) {
            X25519Field.apm(t.d, t.c, t.f, t.g);
        } else {
            X25519Field.apm(t.d, t.c, t.g, t.f); // G = D + C, F = D - C
        }
        if (affine) {
            X25519Field.carry(t.f);
            X25519Field.carry(t.g);
        }
        X25519Field.mul(t.e, t.f, r.x);
        X25519Field.mul(t.g, t.h, r.y);
        X25519Field.mul(t.f, t.g, r.z);
        if (withT) {
            X25519Field.mul(t.e, t.h, r.t);
        }
    }

    private static boolean isIdentity(Extended p, Temp t) {
        X25519Field.copy(p.x, 0, t.a, 0);
        X25519Field.normalize(t.a);
        if (!X25519Field.isZeroVar(t.a)) {
            return false;
        }
        X25519Field.sub(p.y, p.z, t.b);
        X25519Field.normalize(t.b);
        return X25519Field.isZeroVar(t.b);
    }

    // ---- decoding --------------------------------------------------------------------

    private enum Decoded { OK, NOT_ON_CURVE, NEGATIVE_ZERO }

    /** Whether the 255-bit y in the 32 octets at {@code off} is below p = 2^255 - 19. */
    private static boolean isCanonicalY(byte[] enc, int off) {
        if ((enc[off + 31] & 0x7F) != 0x7F) {
            return true;
        }
        for (int i = 1; i < 31; i++) {
            if (enc[off + i] != (byte) 0xFF) {
                return true;
            }
        }
        return (enc[off] & 0xFF) < 0xED;
    }

    /** The point of a (canonical-y) encoding, negated when asked; x from x^2 = (y^2 - 1)/(d y^2 + 1). */
    private static Decoded decompress(byte[] enc, int off, boolean negate, Extended r) {
        int sign = (enc[off + 31] >>> 7) & 1;
        X25519Field.decode(enc, off, r.y);
        int[] u = X25519Field.create();
        int[] v = X25519Field.create();
        X25519Field.sqr(r.y, u);
        X25519Field.mul(u, D, v);
        X25519Field.subOne(u);
        X25519Field.addOne(v);
        if (!X25519Field.sqrtRatioVar(u, v, r.x)) {
            return Decoded.NOT_ON_CURVE;
        }
        X25519Field.normalize(r.x);
        if (sign == 1 && X25519Field.isZeroVar(r.x)) {
            return Decoded.NEGATIVE_ZERO;
        }
        if (((r.x[0] & 1) ^ sign ^ (negate ? 1 : 0)) != 0) {
            X25519Field.negate(r.x, r.x);
        }
        X25519Field.one(r.z);
        X25519Field.mul(r.x, r.y, r.t);
        return Decoded.OK;
    }

    // ---- constants and scalars -------------------------------------------------------

    private static int[] curveD() {
        int[] d = X25519Field.create();
        int[] denominator = X25519Field.create();
        denominator[0] = 121666;
        X25519Field.invVar(denominator, d);
        X25519Field.mul(d, 121665, d);
        X25519Field.negate(d, d);
        X25519Field.normalize(d);
        return d;
    }

    private static int[] twice(int[] x) {
        int[] r = X25519Field.create();
        X25519Field.add(x, x, r);
        X25519Field.normalize(r);
        return r;
    }

    private static SplitTable baseTables() {
        byte[] encodedB = new byte[POINT_OCTETS];
        Arrays.fill(encodedB, (byte) 0x66);
        encodedB[0] = 0x58;
        Extended b = new Extended();
        if (decompress(encodedB, 0, false, b) != Decoded.OK) {
            throw new IllegalStateException("the Ed25519 base point does not decode");
        }
        return SplitTable.of(b, BASE_WINDOW, new Temp());
    }

    private static BigInteger littleEndian(byte[] src, int off, int len) {
        byte[] bigEndian = new byte[len];
        for (int i = 0; i < len; i++) {
            bigEndian[i] = src[off + len - 1 - i];
        }
        return new BigInteger(1, bigEndian);
    }

    /** A non-negative scalar below 2^256 as 8 little-endian 32-bit words. */
    private static int[] words(BigInteger k) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = k.shiftRight(32 * i).intValue();
        }
        return w;
    }

    /** 16 little-endian octets as 4 little-endian 32-bit words. */
    private static int[] words(byte[] octets16) {
        ByteBuffer buf = ByteBuffer.wrap(octets16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int[] w = new int[4];
        for (int i = 0; i < 4; i++) {
            w[i] = buf.getInt();
        }
        return w;
    }

    private static MessageDigest newSha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-512", e);
        }
    }
}
