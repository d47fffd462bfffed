package org.xp2p.e2e.crypto;

import java.math.BigInteger;
import org.bouncycastle.math.ec.rfc7748.X25519Field;
import org.bouncycastle.math.ec.rfc7748.X448Field;

/**
 * Constant-time scalar multiplication on edwards25519 and edwards448 for the Edwards-curve
 * Diffie-Hellman of the wire format, over Bouncy Castle's constant-time field arithmetic
 * ({@link X25519Field}, {@link X448Field}): a Montgomery ladder with conditional swaps and
 * the complete projective addition of Bernstein–Lange, so neither the sequence of
 * operations nor the memory accesses depend on the secret scalar. {@link EdwardsCurve}
 * (BigInteger) stays the readable reference it is tested against. Stateless.
 */
final class EdwardsLadder {

    /** The operations of one field, as Bouncy Castle offers them for each curve. */
    private interface Field {
        int[] create();

        int octets();

        void decode(byte[] in, int[] z);

        void encode(int[] x, byte[] out);

        void add(int[] x, int[] y, int[] z);

        void sub(int[] x, int[] y, int[] z);

        void mul(int[] x, int[] y, int[] z);

        void sqr(int[] x, int[] z);

        void inv(int[] x, int[] z);

        void cswap(int swap, int[] a, int[] b);

        void normalize(int[] z);
    }

    private static final Field F25519 = new Field() {
        public int[] create() { return X25519Field.create(); }
        public int octets() { return 32; }
        public void decode(byte[] in, int[] z) { X25519Field.decode(in, 0, z); }
        public void encode(int[] x, byte[] out) { X25519Field.encode(x, out, 0); }
        // add/sub leave limbs unreduced; carrying keeps every mul input in range.
        public void add(int[] x, int[] y, int[] z) { X25519Field.add(x, y, z); X25519Field.carry(z); }
        public void sub(int[] x, int[] y, int[] z) { X25519Field.sub(x, y, z); X25519Field.carry(z); }
        public void mul(int[] x, int[] y, int[] z) { X25519Field.mul(x, y, z); }
        public void sqr(int[] x, int[] z) { X25519Field.sqr(x, z); }
        public void inv(int[] x, int[] z) { X25519Field.inv(x, z); }
        public void cswap(int swap, int[] a, int[] b) { X25519Field.cswap(swap, a, b); }
        public void normalize(int[] z) { X25519Field.normalize(z); }
    };

    private static final Field F448 = new Field() {
        public int[] create() { return X448Field.create(); }
        public int octets() { return 56; }
        public void decode(byte[] in, int[] z) { X448Field.decode(in, 0, z); }
        public void encode(int[] x, byte[] out) { X448Field.encode(x, out, 0); }
        public void add(int[] x, int[] y, int[] z) { X448Field.add(x, y, z); X448Field.carry(z); }
        public void sub(int[] x, int[] y, int[] z) { X448Field.sub(x, y, z); X448Field.carry(z); }
        public void mul(int[] x, int[] y, int[] z) { X448Field.mul(x, y, z); }
        public void sqr(int[] x, int[] z) { X448Field.sqr(x, z); }
        public void inv(int[] x, int[] z) { X448Field.inv(x, z); }
        public void cswap(int swap, int[] a, int[] b) { X448Field.cswap(swap, a, b); }
        public void normalize(int[] z) { X448Field.normalize(z); }
    };

    static final EdwardsLadder ED25519 = new EdwardsLadder(F25519, true,
            BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(p25519())).mod(p25519()), 255);
    static final EdwardsLadder ED448 = new EdwardsLadder(F448, false,
            BigInteger.valueOf(-39081).mod(BigInteger.TWO.pow(448).subtract(BigInteger.TWO.pow(224)).subtract(BigInteger.ONE)), 448);

    private static BigInteger p25519() {
        return BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    }

    private final Field f;
    private final boolean aIsMinusOne;
    private final int[] d;
    private final int bits;

    private EdwardsLadder(Field f, boolean aIsMinusOne, BigInteger d, int bits) {
        this.f = f;
        this.aIsMinusOne = aIsMinusOne;
        this.d = element(Octets.littleEndian(d, f.octets()));
        this.bits = bits;
    }

    private int[] element(byte[] littleEndian) {
        int[] z = f.create();
        f.decode(littleEndian, z);
        return z;
    }

    /**
     * The affine x coordinate, little-endian, of {@code scalar}·(x, y), where the scalar is
     * given little-endian and only its low {@code bits} bits are used.
     *
     * @param x affine x of the peer's point (public), little-endian field octets
     * @param y affine y of the peer's point (public), little-endian field octets
     */
    byte[] multiplyX(byte[] scalarLittleEndian, byte[] x, byte[] y) {
        int[][] r0 = {f.create(), f.create(), f.create()};
        r0[1][0] = 1; // identity (0 : 1 : 1)
        r0[2][0] = 1;
        int[][] r1 = {element(x), element(y), f.create()};
        r1[2][0] = 1;
        int[][] sum = {f.create(), f.create(), f.create()};
        int[][] dbl = {f.create(), f.create(), f.create()};
        Scratch s = new Scratch();
        for (int i = bits - 1; i >= 0; i--) {
            int bit = (scalarLittleEndian[i >>> 3] >>> (i & 7)) & 1;
            swap(bit, r0, r1);
            add(r0, r1, sum, s);
            add(r0, r0, dbl, s);
            copy(sum, r1);
            copy(dbl, r0);
            swap(bit, r0, r1);
        }
        int[] zInv = f.create();
        f.inv(r0[2], zInv);
        int[] ax = f.create();
        f.mul(r0[0], zInv, ax);
        f.normalize(ax);
        byte[] out = new byte[f.octets()];
        f.encode(ax, out);
        return out;
    }

    private void swap(int bit, int[][] a, int[][] b) {
        for (int i = 0; i < 3; i++) {
            f.cswap(bit, a[i], b[i]);
        }
    }

    private static void copy(int[][] from, int[][] to) {
        for (int i = 0; i < 3; i++) {
            System.arraycopy(from[i], 0, to[i], 0, from[i].length);
        }
    }

    private final class Scratch {
        final int[] a = f.create();
        final int[] b = f.create();
        final int[] c = f.create();
        final int[] dd = f.create();
        final int[] e = f.create();
        final int[] ff = f.create();
        final int[] g = f.create();
        final int[] h = f.create();
        final int[] t = f.create();
        final int[] u = f.create();
    }

    /** out = p + q (complete for both curves, so also doubling); out must not alias p or q. */
    private void add(int[][] p, int[][] q, int[][] out, Scratch s) {
        f.mul(p[2], q[2], s.a);          // A = Z1·Z2
        f.sqr(s.a, s.b);                 // B = A²
        f.mul(p[0], q[0], s.c);          // C = X1·X2
        f.mul(p[1], q[1], s.dd);         // D = Y1·Y2
        f.mul(s.c, s.dd, s.t);
        f.mul(d, s.t, s.e);              // E = d·C·D
        f.sub(s.b, s.e, s.ff);           // F = B − E
        f.add(s.b, s.e, s.g);            // G = B + E
        f.add(p[0], p[1], s.t);
        f.add(q[0], q[1], s.u);
        f.mul(s.t, s.u, s.h);            // H = (X1+Y1)·(X2+Y2)
        f.sub(s.h, s.c, s.t);
        f.sub(s.t, s.dd, s.t);           // H − C − D
        f.mul(s.a, s.ff, s.u);
        f.mul(s.u, s.t, out[0]);         // X3 = A·F·(H − C − D)
        if (aIsMinusOne) {
            f.add(s.dd, s.c, s.t);       // D − a·C with a = −1
        } else {
            f.sub(s.dd, s.c, s.t);       // D − a·C with a = 1
        }
        f.mul(s.a, s.g, s.u);
        f.mul(s.u, s.t, out[1]);         // Y3 = A·G·(D − a·C)
        f.mul(s.ff, s.g, out[2]);        // Z3 = F·G
    }
}
