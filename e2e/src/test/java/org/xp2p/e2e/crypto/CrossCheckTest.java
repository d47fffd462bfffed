package org.xp2p.e2e.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.pqc.crypto.mldsa.HashMLDSASigner;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAKeyPairGenerator;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.KeyType;

/**
 * Checks our byte formats against independent implementations: the JDK's own ECDSA,
 * RSA-PSS and RSA-OAEP, and Bouncy Castle's HashML-DSA signer (for the external-mu
 * construction our SHAKE-256 variant shares), plus ML-KEM and ML-DSA self-consistency.
 */
class CrossCheckTest {
    private static final byte[] MESSAGE = "<message><body>hello</body></message>".getBytes(StandardCharsets.UTF_8);
    private final SecureRandom random = new SecureRandom();

    @Test
    void ecdsaSignaturesAreLittleEndianRsWithTheCurveHashAsTheJdkReadsThem() throws Exception {
        checkEcdsa(KeyType.P256, "secp256r1", "SHA256withECDSA", 32);
        checkEcdsa(KeyType.P384, "secp384r1", "SHA512withECDSA", 48);
        checkEcdsa(KeyType.P521, "secp521r1", "SHA512withECDSA", 66);
    }

    private void checkEcdsa(KeyType type, String jdkCurve, String jdkAlgorithm, int orderOctets) throws Exception {
        LocalKey key = KeyAlgorithms.of(type).generate(random);
        byte[] sig = key.sign(MESSAGE, random);
        assertEquals(2 * orderOctets, sig.length);
        byte[] pub = key.published().pub();
        BigInteger x = Octets.fromLittleEndian(pub, 0, orderOctets);
        BigInteger y = Octets.fromLittleEndian(pub, orderOctets, orderOctets);
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(jdkCurve));
        PublicKey jdkKey = KeyFactory.getInstance("EC").generatePublic(
                new ECPublicKeySpec(new ECPoint(x, y), params.getParameterSpec(ECParameterSpec.class)));
        ASN1EncodableVector rs = new ASN1EncodableVector();
        rs.add(new ASN1Integer(Octets.fromLittleEndian(sig, 0, orderOctets)));
        rs.add(new ASN1Integer(Octets.fromLittleEndian(sig, orderOctets, orderOctets)));
        Signature verifier = Signature.getInstance(jdkAlgorithm);
        verifier.initVerify(jdkKey);
        verifier.update(MESSAGE);
        assertTrue(verifier.verify(new DERSequence(rs).getEncoded()), type.elementName());
        assertTrue(key.asRemote().verify(MESSAGE, sig));
        sig[0] ^= 1;
        assertFalse(key.asRemote().verify(MESSAGE, sig));
    }

    @Test
    void rsaPssAndOaepMatchTheJdkWithSha256Everywhere() throws Exception {
        KeyAlgorithm rsa = KeyAlgorithms.rsa(2048);
        LocalKey key = rsa.generate(random);
        byte[] pub = key.published().pub();
        assertEquals(2048, (pub[0] & 0xff) | (pub[1] & 0xff) << 8);
        assertEquals(2 + 256 + 3, pub.length);
        assertArrayEquals(new byte[] {1, 0, 1}, Arrays.copyOfRange(pub, 258, 261));
        PublicKey jdkKey = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Arrays.copyOfRange(pub, 2, 258)), BigInteger.valueOf(65537)));

        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        pss.initVerify(jdkKey);
        pss.update(MESSAGE);
        assertTrue(pss.verify(key.sign(MESSAGE, random)));

        // The JDK wraps, we unwrap: proves OAEP with SHA-256 and MGF1-SHA-256 (not the JCE default SHA-1).
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(Cipher.ENCRYPT_MODE, jdkKey, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                PSource.PSpecified.DEFAULT));
        byte[] symmetric = new byte[32];
        random.nextBytes(symmetric);
        assertArrayEquals(symmetric, key.unwrap(oaep.doFinal(symmetric)));

        WrappedKey wrapped = rsa.decode(key.published()).wrap(random);
        assertArrayEquals(wrapped.key(), key.unwrap(wrapped.wrapped()));
        byte[] forged = wrapped.wrapped();
        forged[10] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> key.unwrap(forged));
    }

    @Test
    void hashMlDsaExternalMuAgreesWithBouncyCastlesPreHashSigner() throws Exception {
        MLDSAKeyPairGenerator generator = new MLDSAKeyPairGenerator();
        generator.init(new MLDSAKeyGenerationParameters(random, MLDSAParameters.ml_dsa_44_with_sha512));
        var pair = generator.generateKeyPair();
        MLDSAPrivateKeyParameters priv = (MLDSAPrivateKeyParameters) pair.getPrivate();
        MLDSAPublicKeyParameters pub = (MLDSAPublicKeyParameters) pair.getPublic();

        // The same key under the pure parameters, which the external-mu signer requires.
        MLDSAPrivateKeyParameters purePriv = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_44, priv.getSeed());
        MLDSAPublicKeyParameters purePub = new MLDSAPublicKeyParameters(MLDSAParameters.ml_dsa_44, pub.getEncoded());
        assertArrayEquals(pub.getEncoded(), purePriv.getPublicKeyParameters().getEncoded());
        byte[] ours = HashMlDsa.SHA512.sign(purePriv, MESSAGE, random);
        HashMLDSASigner bc = new HashMLDSASigner();
        bc.init(false, pub);
        bc.update(MESSAGE, 0, MESSAGE.length);
        assertTrue(bc.verifySignature(ours), "Bouncy Castle verifies our HashML-DSA-SHA512 signature");

        HashMLDSASigner bcSigner = new HashMLDSASigner();
        bcSigner.init(true, new ParametersWithRandom(priv, random));
        bcSigner.update(MESSAGE, 0, MESSAGE.length);
        assertTrue(HashMlDsa.SHA512.verify(purePub, MESSAGE, bcSigner.generateSignature()), "we verify Bouncy Castle's");
        assertFalse(HashMlDsa.SHAKE256.verify(purePub, MESSAGE, ours), "the SHAKE-256 variant is domain-separated by its OID");
    }

    @Test
    void mlKeyTypesTransportKeysAndSignWithShake256PreHash() throws Exception {
        for (KeyType type : new KeyType[] {KeyType.ML128, KeyType.ML192, KeyType.ML256}) {
            KeyAlgorithm ml = KeyAlgorithms.of(type);
            LocalKey key = ml.generate(random);
            assertEquals(type.pubOctets(), key.published().pub().length);
            RemoteKey remote = ml.decode(key.published());
            WrappedKey wrapped = remote.wrap(random);
            assertEquals(32, wrapped.key().length);
            assertArrayEquals(wrapped.key(), key.unwrap(wrapped.wrapped()), type.elementName());
            byte[] forged = wrapped.wrapped();
            forged[3] ^= 1;
            assertFalse(Arrays.equals(wrapped.key(), key.unwrap(forged)), "implicit rejection gives another key");
            byte[] sig = key.sign(MESSAGE, random);
            assertTrue(remote.verify(MESSAGE, sig));
            assertFalse(remote.verify("other".getBytes(StandardCharsets.UTF_8), sig));
            byte[] seeds = new byte[96];
            random.nextBytes(seeds);
            assertEquals(ml.restore(seeds).published(), ml.restore(seeds).published(), "same seeds, same key");
        }
    }
}
