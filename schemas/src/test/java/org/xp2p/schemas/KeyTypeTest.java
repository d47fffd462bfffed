package org.xp2p.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyTypeTest {

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void everyTypeAcceptsAWellFormedKeyAndIsFoundByItsElementName(KeyType type) {
        assertTrue(type.checkPub(Fixtures.pub(type, 1)).isEmpty());
        assertEquals(type, KeyType.byElementName(type.elementName()).orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, mode = EnumSource.Mode.EXCLUDE, names = "RSA")
    void aKeyOneOctetShortIsRejectedWithBothLengths(KeyType type) {
        String reason = type.checkPub(new byte[type.pubOctets() - 1]).orElseThrow();
        assertTrue(reason.contains(type.pubOctets() + " octets") && reason.contains(String.valueOf(type.pubOctets() - 1)),
                reason);
    }

    @Test
    void pubSizesAreThoseOfTheSpecification() {
        assertEquals(64, KeyType.P256.pubOctets());
        assertEquals(132, KeyType.P521.pubOctets());
        assertEquals(57, KeyType.ED448.pubOctets());
        assertEquals(40, KeyType.BP160.pubOctets());
        assertEquals(800 + 1312, KeyType.ML128.pubOctets());
        assertEquals(1184 + 1952, KeyType.ML192.pubOctets());
        assertEquals(1568 + 2592, KeyType.ML256.pubOctets());
    }

    @Test
    void rsaStrengthFollowsTheModulusSize() {
        assertEquals(112, KeyType.RSA.securityBits(Fixtures.pub(KeyType.RSA, 1)));
        byte[] rsa3072 = new byte[2 + 384 + 3];
        rsa3072[0] = (byte) (3072 & 0xff);
        rsa3072[1] = (byte) (3072 >> 8);
        rsa3072[2] = (byte) 0x80;
        assertTrue(KeyType.RSA.checkPub(rsa3072).isEmpty());
        assertEquals(128, KeyType.RSA.securityBits(rsa3072));
    }

    @Test
    void rsaLayoutErrorsSayWhatIsWrong() {
        byte[] good = Fixtures.pub(KeyType.RSA, 1);
        byte[] noExponent = java.util.Arrays.copyOf(good, good.length - 3);
        assertTrue(KeyType.RSA.checkPub(noExponent).orElseThrow().contains("exponent"));
        byte[] oddSize = good.clone();
        oddSize[0] = 1;
        assertTrue(KeyType.RSA.checkPub(oddSize).orElseThrow().contains("modulus size"));
        byte[] shortModulus = good.clone();
        shortModulus[2] = 0x01;
        assertTrue(KeyType.RSA.checkPub(shortModulus).orElseThrow().contains("does not fill"));
    }
}
