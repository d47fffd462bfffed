package org.xp2p.e2e.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * Known-answer vectors typed in from the RFC texts: RFC 7748 (X25519, X448), RFC 8032
 * (Ed25519, Ed448), RFC 8439 (ChaCha20, ChaCha20-Poly1305), and the Brainpool ECDH
 * vectors of RFC 7027 appendix A (those of RFC 6932 are in {@link BrainpoolRfc6932VectorsTest}).
 */
class PrimitiveVectorsTest {

    private static final String SUNSCREEN = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
            + "for the future, sunscreen would be it.";

    private static byte[] hex(String s) {
        return Hex.decode(s.replace(" ", ""));
    }

    @Test
    void chacha20MatchesRfc8439Section242() {
        byte[] key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] nonce = hex("000000000000004a00000000");
        byte[] out = ChaChaCipher.stream(key, nonce, SUNSCREEN.getBytes(StandardCharsets.US_ASCII));
        assertEquals("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
                + "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
                + "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
                + "5af90bbf74a35be6b40b8eedf2785e42874d", Hex.toHexString(out));
    }

    @Test
    void chacha20Poly1305MatchesRfc8439Section282() throws Exception {
        byte[] key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = hex("070000004041424344454647");
        byte[] aad = hex("50515253c0c1c2c3c4c5c6c7");
        byte[] sealed = ChaChaPolyCipher.seal(true, key, nonce, aad, SUNSCREEN.getBytes(StandardCharsets.US_ASCII));
        assertEquals("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116"
                + "1ae10b594f09e26a7e902ecbd0600691", Hex.toHexString(sealed));
        assertEquals(SUNSCREEN, new String(ChaChaPolyCipher.seal(false, key, nonce, aad, sealed), StandardCharsets.US_ASCII));
    }

    @Test
    void x25519MatchesRfc7748Section61AndHashesTheReversedOutput() throws Exception {
        KeyAlgorithm x25519 = KeyAlgorithms.of(KeyType.X25519);
        LocalKey alice = x25519.restore(hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        LocalKey bob = x25519.restore(hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Hex.toHexString(alice.published().pub()));
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Hex.toHexString(bob.published().pub()));
        byte[] rfcShared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        byte[] expected = Sha256.of(Octets.reversed(rfcShared));
        assertArrayEquals(expected, alice.agree(x25519.decode(bob.published())));
        assertArrayEquals(expected, bob.agree(x25519.decode(alice.published())));
    }

    @Test
    void x448MatchesRfc7748Section62() throws Exception {
        KeyAlgorithm x448 = KeyAlgorithms.of(KeyType.X448);
        LocalKey alice = x448.restore(hex("9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf5"
                + "74a9419744897391006382a6f127ab1d9ac2d8c0a598726b"));
        assertEquals("9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bb"
                + "c836647241d953d40c5b12da88120d53177f80e532c41fa0", Hex.toHexString(alice.published().pub()));
        RemoteKey bob = x448.decode(new PublishedKey(KeyType.X448, hex("3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b430"
                + "27d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609")));
        byte[] rfcShared = hex("07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56"
                + "fd2464c335543936521c24403085d59a449a5037514a879d");
        assertArrayEquals(Sha256.of(Octets.reversed(rfcShared)), alice.agree(bob));
    }

    @Test
    void x25519RefusesALowOrderPeerKey() {
        LocalKey key = KeyAlgorithms.of(KeyType.X25519).restore(hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        RemoteKey zero = KeyAlgorithms.of(KeyType.X25519).decode(new PublishedKey(KeyType.X25519, new byte[32]));
        assertThrows(GeneralSecurityException.class, () -> key.agree(zero));
    }

    @Test
    void ed25519MatchesRfc8032Tests1And2() {
        KeyAlgorithm ed = KeyAlgorithms.of(KeyType.ED25519);
        LocalKey k1 = ed.restore(hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Hex.toHexString(k1.published().pub()));
        assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b", Hex.toHexString(k1.sign(new byte[0], null)));
        LocalKey k2 = ed.restore(hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
        byte[] sig2 = k2.sign(hex("72"), null);
        assertEquals("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00", Hex.toHexString(sig2));
        assertTrue(ed.decode(k2.published()).verify(hex("72"), sig2));
        assertFalse(ed.decode(k2.published()).verify(hex("73"), sig2));
    }

    @Test
    void ed448MatchesRfc8032BlankVector() {
        KeyAlgorithm ed = KeyAlgorithms.of(KeyType.ED448);
        LocalKey k = ed.restore(hex("6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3"
                + "528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b"));
        assertEquals("5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778"
                + "edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180", Hex.toHexString(k.published().pub()));
        assertEquals("533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f"
                + "2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a"
                + "9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4db"
                + "b61149f05a7363268c71d95808ff2e652600", Hex.toHexString(k.sign(new byte[0], null)));
    }

    /** Our own Edwards arithmetic must give the RFC 8032 public keys: s·B encoded. */
    @Test
    void edwardsCurveArithmeticReproducesRfc8032PublicKeys() {
        byte[] seed25519 = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        BigInteger s = EdwardsAlgorithm.clampedScalar(KeyType.ED25519, seed25519);
        EdwardsCurve c = EdwardsCurve.ED25519;
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                Hex.toHexString(c.encode(c.multiply(s, c.base(), 255))));

        byte[] seed448 = hex("6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3"
                + "528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b");
        BigInteger s448 = EdwardsAlgorithm.clampedScalar(KeyType.ED448, seed448);
        EdwardsCurve c448 = EdwardsCurve.ED448;
        assertEquals("5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778"
                + "edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180",
                Hex.toHexString(c448.encode(c448.multiply(s448, c448.base(), 448))));
        // decode(encode(P)) == P
        EdwardsCurve.Point p = c.multiply(s, c.base(), 255);
        EdwardsCurve.Point back = c.decode(c.encode(p));
        assertEquals(c.affineX(p), c.affineX(back));
    }

    @Test
    void edwardsDiffieHellmanIsSymmetricAndUsesTheXCoordinate() throws Exception {
        for (KeyType type : new KeyType[] {KeyType.ED25519, KeyType.ED448}) {
            KeyAlgorithm ed = KeyAlgorithms.of(type);
            LocalKey a = ed.restore(seed(type, 1));
            LocalKey b = ed.restore(seed(type, 2));
            byte[] ab = a.agree(ed.decode(b.published()));
            assertArrayEquals(ab, b.agree(ed.decode(a.published())), type.elementName());
            // Independently: x(sA · B_pub) with sA from the seed, hashed big-endian.
            EdwardsCurve curve = type == KeyType.ED25519 ? EdwardsCurve.ED25519 : EdwardsCurve.ED448;
            BigInteger sa = EdwardsAlgorithm.clampedScalar(type, seed(type, 1));
            BigInteger sb = EdwardsAlgorithm.clampedScalar(type, seed(type, 2));
            EdwardsCurve.Point shared = curve.multiply(sa.multiply(sb), curve.base(), sa.multiply(sb).bitLength());
            assertArrayEquals(Sha256.of(Octets.bigEndian(curve.affineX(shared), curve.fieldOctets())), ab, type.elementName());
        }
    }

    private static byte[] seed(KeyType type, int fill) {
        byte[] s = new byte[type == KeyType.ED25519 ? 32 : 57];
        java.util.Arrays.fill(s, (byte) fill);
        return s;
    }

    @Test
    void edwardsDecodeRefusesAYCoordinateNotBelowThePrime() {
        byte[] tooBig = Octets.littleEndian(BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(18)), 32);
        assertThrows(IllegalArgumentException.class,
                () -> KeyAlgorithms.of(KeyType.ED25519).decode(new PublishedKey(KeyType.ED25519, tooBig)));
    }

    @Test
    void brainpoolP256MatchesRfc7027VectorA1() throws Exception {
        KeyAlgorithm bp = KeyAlgorithms.of(KeyType.BP256);
        LocalKey a = bp.restore(hex("81DB1EE100150FF2EA338D708271BE38300CB54241D79950F77B063039804F1D"));
        byte[] expectedPub = Octets.concat(
                Octets.reversed(hex("44106E913F92BC02A1705D9953A8414DB95E1AAA49E81D9E85F929A8E3100BE5")),
                Octets.reversed(hex("8AB4846F11CACCB73CE49CBDD120F5A900A69FD32C272223F789EF10EB089BDC")));
        assertArrayEquals(expectedPub, a.published().pub());
        RemoteKey b = bp.decode(new PublishedKey(KeyType.BP256, Octets.concat(
                Octets.reversed(hex("8D2D688C6CF93E1160AD04CC4429117DC2C41825E1E9FCA0ADDD34E6F1B39F7B")),
                Octets.reversed(hex("990C57520812BE512641E47034832106BC7D3E8DD0E4C7F1136D7006547CEC6A")))));
        assertArrayEquals(Sha256.of(hex("89AFC39D41D3B327814B80940B042590F96556EC91E6AE7939BCE31F3A18BF2B")), a.agree(b));
    }

    @Test
    void brainpoolP384MatchesRfc7027VectorA2() throws Exception {
        KeyAlgorithm bp = KeyAlgorithms.of(KeyType.BP384);
        LocalKey a = bp.restore(hex("1E20F5E048A5886F1F157C74E91BDE2B98C8B52D58E5003D57053FC4B0BD65D6F15EB5D1EE1610DF870795143627D042"));
        RemoteKey b = bp.decode(new PublishedKey(KeyType.BP384, Octets.concat(
                Octets.reversed(hex("4D44326F269A597A5B58BBA565DA5556ED7FD9A8A9EB76C25F46DB69D19DC8CE6AD18E404B15738B2086DF37E71D1EB4")),
                Octets.reversed(hex("62D692136DE56CBE93BF5FA3188EF58BC8A3A0EC6C1E151A21038A42E9185329B5B275903D192F8D4E1F32FE9CC78C48")))));
        assertArrayEquals(Sha256.of(hex("0BD9D3A7EA0B3D519D09D8E48D0785FB744A6B355E6304BC51C229FBBCE239BBADF6403715C35D4FB2A5444F575D4F42")),
                a.agree(b));
        assertEquals("68B665DD91C195800650CDD363C625F4E742E8134667B767B1B476793588F885AB698C852D4A6E77A252D6380FCAF068",
                Hex.toHexString(Octets.reversed(java.util.Arrays.copyOf(a.published().pub(), 48))).toUpperCase());
    }

    @Test
    void weierstrassKeysOffTheCurveAreRefused() {
        LocalKey a = KeyAlgorithms.of(KeyType.P256).restore(hex("01"));
        byte[] pub = a.published().pub();
        pub[40] ^= 1;
        assertThrows(IllegalArgumentException.class,
                () -> KeyAlgorithms.of(KeyType.P256).decode(new PublishedKey(KeyType.P256, pub)));
    }
}
