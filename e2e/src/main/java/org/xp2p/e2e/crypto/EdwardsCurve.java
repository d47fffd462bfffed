package org.xp2p.e2e.crypto;

import java.math.BigInteger;

/**
 * Point arithmetic on the twisted Edwards curves a·x² + y² = 1 + d·x²·y² of RFC 8032
 * (edwards25519 with a = -1, edwards448 with a = 1) in plain BigInteger form: it decodes
 * peers' public keys (public data) and is the readable reference that the constant-time
 * {@link EdwardsLadder}, which computes the Diffie-Hellman with secret scalars, is tested
 * against. Not for secret scalars itself: BigInteger is not constant time. Immutable and
 * thread-safe.
 *
 * <p>Points are projective (X : Y : Z) and added with the complete formula of
 * Bernstein–Lange (add-2007-bl), which for these two curves has no exceptional cases, so
 * the same code doubles and adds.
 */
public final class EdwardsCurve {
    private static final BigInteger TWO = BigInteger.TWO;

    public static final EdwardsCurve ED25519 = new EdwardsCurve(
            TWO.pow(255).subtract(BigInteger.valueOf(19)),
            BigInteger.ONE.negate(),
            BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(TWO.pow(255).subtract(BigInteger.valueOf(19)))),
            new BigInteger("15112221349535400772501151409588531511454012693041857206046113283949847762202"),
            new BigInteger("46316835694926478169428394003475163141307993866256225615783033603165251855960"),
            32);

    public static final EdwardsCurve ED448 = new EdwardsCurve(
            TWO.pow(448).subtract(TWO.pow(224)).subtract(BigInteger.ONE),
            BigInteger.ONE,
            BigInteger.valueOf(-39081),
            new BigInteger("224580040295924300187604334099896036246789641632564134246125461686950415467406032909029192869357953282578032075146446173674602635247710"),
            new BigInteger("298819210078481492676017930443930673437544040154080242095928241372331506189835876003536878655418784733982303233503462500531545062832660"),
            57);

    private final BigInteger p;
    private final BigInteger a;
    private final BigInteger d;
    private final Point base;
    private final int encodedOctets;

    private EdwardsCurve(BigInteger p, BigInteger a, BigInteger d, BigInteger gx, BigInteger gy, int encodedOctets) {
        this.p = p;
        this.a = a.mod(p);
        this.d = d.mod(p);
        this.base = new Point(gx, gy, BigInteger.ONE);
        this.encodedOctets = encodedOctets;
    }

    /** A projective point; compare with {@link #affineX}/{@link #affineY}. */
    public record Point(BigInteger x, BigInteger y, BigInteger z) {
    }

    public Point base() {
        return base;
    }

    /** Octets of the RFC 8032 point encoding (32 or 57). */
    public int encodedOctets() {
        return encodedOctets;
    }

    /** Octets of a field element (32 or 56): the length of the x coordinate hashed for ECDH. */
    public int fieldOctets() {
        return (p.bitLength() + 7) / 8;
    }

    public Point identity() {
        return new Point(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE);
    }

    public Point add(Point p1, Point p2) {
        BigInteger aa = p1.z.multiply(p2.z).mod(p);
        BigInteger bb = aa.multiply(aa).mod(p);
        BigInteger c = p1.x.multiply(p2.x).mod(p);
        BigInteger dd = p1.y.multiply(p2.y).mod(p);
        BigInteger e = d.multiply(c).multiply(dd).mod(p);
        BigInteger f = bb.subtract(e).mod(p);
        BigInteger g = bb.add(e).mod(p);
        BigInteger h = p1.x.add(p1.y).multiply(p2.x.add(p2.y)).mod(p);
        BigInteger x3 = aa.multiply(f).mod(p).multiply(h.subtract(c).subtract(dd)).mod(p);
        BigInteger y3 = aa.multiply(g).mod(p).multiply(dd.subtract(a.multiply(c))).mod(p);
        BigInteger z3 = f.multiply(g).mod(p);
        return new Point(x3, y3, z3);
    }

    /** {@code k}·{@code point} by a Montgomery ladder over {@code bits} bits of {@code k}. */
    public Point multiply(BigInteger k, Point point, int bits) {
        Point r0 = identity();
        Point r1 = point;
        for (int i = bits - 1; i >= 0; i--) {
            if (k.testBit(i)) {
                r0 = add(r0, r1);
                r1 = add(r1, r1);
            } else {
                r1 = add(r0, r1);
                r0 = add(r0, r0);
            }
        }
        return r0;
    }

    public BigInteger affineX(Point point) {
        return point.x.multiply(point.z.modInverse(p)).mod(p);
    }

    public BigInteger affineY(Point point) {
        return point.y.multiply(point.z.modInverse(p)).mod(p);
    }

    public boolean isIdentity(Point point) {
        return point.x.mod(p).signum() == 0 && point.y.subtract(point.z).mod(p).signum() == 0;
    }

    /** The RFC 8032 encoding: y little-endian, the sign of x in the top bit of the last octet. */
    public byte[] encode(Point point) {
        BigInteger x = affineX(point);
        BigInteger y = affineY(point);
        byte[] out = Octets.littleEndian(y, encodedOctets);
        if (x.testBit(0)) {
            out[encodedOctets - 1] |= (byte) 0x80;
        }
        return out;
    }

    /**
     * The point of an RFC 8032 encoding (section 5.1.3 / 5.2.3).
     *
     * @throws IllegalArgumentException when the octets encode no point of the curve
     */
    public Point decode(byte[] encoded) {
        if (encoded.length != encodedOctets) {
            throw new IllegalArgumentException("Edwards points have " + encodedOctets + " octets, not " + encoded.length);
        }
        byte[] copy = encoded.clone();
        boolean sign = (copy[encodedOctets - 1] & 0x80) != 0;
        copy[encodedOctets - 1] &= 0x7f;
        if (encodedOctets == 57 && copy[56] != 0) {
            throw new IllegalArgumentException("edwards448 point has non-zero bits in its last octet");
        }
        BigInteger y = Octets.fromLittleEndian(copy, 0, encodedOctets);
        if (y.compareTo(p) >= 0) {
            throw new IllegalArgumentException("y coordinate is not below the field prime");
        }
        // a·x² + y² = 1 + d·x²·y²  =>  x² = (y² - 1) / (d·y² - a)
        BigInteger y2 = y.multiply(y).mod(p);
        BigInteger u = y2.subtract(BigInteger.ONE).mod(p);
        BigInteger v = d.multiply(y2).subtract(a).mod(p);
        if (v.signum() == 0) {
            throw new IllegalArgumentException("no x coordinate for this y");
        }
        BigInteger x2 = u.multiply(v.modInverse(p)).mod(p);
        BigInteger x = squareRoot(x2);
        if (x == null) {
            throw new IllegalArgumentException("not a point on the curve");
        }
        if (x.signum() == 0 && sign) {
            throw new IllegalArgumentException("x = 0 with the sign bit set");
        }
        if (x.testBit(0) != sign) {
            x = p.subtract(x);
        }
        return new Point(x, y, BigInteger.ONE);
    }

    private BigInteger squareRoot(BigInteger n) {
        if (n.signum() == 0) {
            return BigInteger.ZERO;
        }
        if (p.testBit(1)) { // p ≡ 3 (mod 4): edwards448
            BigInteger r = n.modPow(p.add(BigInteger.ONE).shiftRight(2), p);
            return r.multiply(r).mod(p).equals(n) ? r : null;
        }
        // p ≡ 5 (mod 8): edwards25519
        BigInteger r = n.modPow(p.add(BigInteger.valueOf(3)).shiftRight(3), p);
        if (r.multiply(r).mod(p).equals(n)) {
            return r;
        }
        BigInteger sqrtMinusOne = TWO.modPow(p.subtract(BigInteger.ONE).shiftRight(2), p);
        r = r.multiply(sqrtMinusOne).mod(p);
        return r.multiply(r).mod(p).equals(n) ? r : null;
    }
}
