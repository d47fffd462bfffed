package org.xp2p.samples.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.xp2p.e2e.identity.IdentityKey;

class SignedManifestTest {
    private final IdentityKey key = IdentityKey.generate(new SecureRandom());
    private final byte[] image = "firmware".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSignatureVerifiesOnlyOverTheManifestItWasMadeFor() {
        FirmwareManifest m = FirmwareManifest.of("p", FirmwareVersion.parse("1.0.0"), image);
        SignedManifest s = SignedManifest.sign(m, key);
        assertTrue(s.signatureVerifies());
        for (FirmwareManifest other : new FirmwareManifest[] {
                FirmwareManifest.of("q", m.version(), image),
                FirmwareManifest.of("p", FirmwareVersion.parse("1.0.1"), image),
                new FirmwareManifest("p", m.version(), m.size() + 1, m.sha256()),
                FirmwareManifest.of("p", m.version(), "firmwarE".getBytes(StandardCharsets.UTF_8))}) {
            assertFalse(new SignedManifest(other, s.publisher(), s.signature()).signatureVerifies(), other.toString());
        }
    }

    @Test
    void theCanonicalEncodingStartsWithTheDomainAndLengthPrefixesItsFields() {
        // "ab" + "1.0.0" must not encode like "a" + "b1.0.0": lengths keep the fields apart
        byte[] a = FirmwareManifest.of("ab", FirmwareVersion.parse("1.0.0"), image).canonical();
        String text = new String(a, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("\u0000\u001f" + FirmwareManifest.DOMAIN + "\u0000\u0002ab\u0000\u00051.0.0"), text);
        assertEquals(2 + 31 + 2 + 2 + 2 + 5 + 8 + 32, a.length);
    }

    @Test
    void versionsCompareNumericallyAndBadOnesAreRefused() {
        assertTrue(FirmwareVersion.parse("1.10.0").compareTo(FirmwareVersion.parse("1.9.9")) > 0);
        assertEquals(0, FirmwareVersion.parse("2.0.0").compareTo(new FirmwareVersion(2, 0, 0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FirmwareVersion.parse("1.02.0"));
        assertEquals("'1.02.0' is not a version major.minor.patch", e.getMessage());
    }
}
