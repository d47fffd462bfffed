package org.xp2p.xmpp.linklocal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.xp2p.e2e.identity.IdentityKey;

/**
 * The two-namespace scenario again in secured mode: each device allows only the other's
 * identity key, keys are exchanged with synchE2e, and every stanza travels end-to-end
 * encrypted and signed (the receivers report the stanzas as protected).
 */
class SecuredDevicesInNamespacesTest extends TwoDevicesInNamespacesTest {
    private final byte[] aliceSeed = new byte[IdentityKey.SEED_OCTETS];
    private final byte[] bobSeed = new byte[IdentityKey.SEED_OCTETS];

    SecuredDevicesInNamespacesTest() {
        SecureRandom random = new SecureRandom();
        random.nextBytes(aliceSeed);
        random.nextBytes(bobSeed);
    }

    @Override
    protected List<String> securityArgs(String who) {
        HexFormat hex = HexFormat.of();
        byte[] own = who.equals("alice") ? aliceSeed : bobSeed;
        byte[] other = who.equals("alice") ? bobSeed : aliceSeed;
        return List.of("secured:" + hex.formatHex(own) + ":" + hex.formatHex(IdentityKey.fromSeed(other).publicKey()));
    }

    @Override
    protected String protectedFlag() {
        return "true";
    }
}
