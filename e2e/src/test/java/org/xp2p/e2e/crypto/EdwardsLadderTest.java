package org.xp2p.e2e.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.KeyType;

/** The constant-time ladder agrees with the BigInteger reference arithmetic on both curves. */
class EdwardsLadderTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void ladderMatchesTheReferenceForRandomScalarsAndPoints() {
        check(KeyType.ED25519, EdwardsCurve.ED25519, EdwardsLadder.ED25519, 32, 255);
        check(KeyType.ED448, EdwardsCurve.ED448, EdwardsLadder.ED448, 57, 448);
    }

    private void check(KeyType type, EdwardsCurve curve, EdwardsLadder ladder, int seedOctets, int bits) {
        for (int i = 0; i < 8; i++) {
            byte[] seedA = new byte[seedOctets];
            byte[] seedB = new byte[seedOctets];
            random.nextBytes(seedA);
            random.nextBytes(seedB);
            // A peer point: sB·G, by the reference arithmetic.
            EdwardsCurve.Point peer = curve.multiply(EdwardsAlgorithm.clampedScalar(type, seedB), curve.base(), bits);
            BigInteger x = curve.affineX(peer);
            BigInteger y = curve.affineY(peer);
            int field = curve.fieldOctets();
            byte[] scalar = EdwardsAlgorithm.clampedScalarOctets(type, seedA);
            byte[] fast = ladder.multiplyX(scalar, Octets.littleEndian(x, field), Octets.littleEndian(y, field));
            BigInteger expected = curve.affineX(curve.multiply(EdwardsAlgorithm.clampedScalar(type, seedA), peer, bits));
            assertEquals(expected, Octets.fromLittleEndian(fast, 0, field), type + " round " + i);
        }
    }
}
