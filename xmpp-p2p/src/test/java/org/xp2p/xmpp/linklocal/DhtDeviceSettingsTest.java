package org.xp2p.xmpp.linklocal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eMode;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.xmpp.secure.E2eStanzaProtector;

/** What each wrong combination of DHT settings gets when the device starts: a clear refusal. */
class DhtDeviceSettingsTest {
    private final SecureRandom random = new SecureRandom();
    private final InetAddress lo = InetAddress.getLoopbackAddress();
    private final IdentityKey id = IdentityKey.generate(random);
    private DhtNode node;

    @BeforeEach
    void openNode() throws Exception {
        node = DhtNode.openUdp(DhtDirectLinkTest.dhtConfig(), NodeIdentity.of(id.privateKey(),
                DhtDirectLinkTest.dhtConfig().puzzleDifficultyBits()), new InetSocketAddress(lo, 0));
    }

    @AfterEach
    void closeNode() {
        node.close();
    }

    private E2eStanzaProtector secured(IdentityKey key) {
        return new E2eStanzaProtector(new E2eEndpoint(new LocalKeyRing(EnumSet.of(KeyType.ED25519), 128, random),
                E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E), random), key, List.of());
    }

    private LinkLocalDevice.Builder device() {
        return LinkLocalDevice.builder("set@" + ProcessHandle.current().pid(), lo).handler(new RecordingHandler());
    }

    @Test
    void mdnsOffWithoutADhtIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> device().mdns(false).start());
        assertTrue(e.getMessage().contains("dht(node)"), e.getMessage());
    }

    @Test
    void contactsWithoutADhtAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> device().contact(IdentityKey.generate(random).publicKey()).start());
        assertTrue(e.getMessage().contains("dht(node)"), e.getMessage());
    }

    @Test
    void dhtWithAPlainProtectorIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> device().mdns(false).dht(node).start());
        assertTrue(e.getMessage().contains("E2eStanzaProtector"), e.getMessage());
    }

    @Test
    void protectorWithAnotherIdentityThanTheNodeIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> device().mdns(false).dht(node)
                .protector(secured(IdentityKey.generate(random))).start());
        assertTrue(e.getMessage().contains("another identity key"), e.getMessage());
    }

    @Test
    void ourOwnKeyAsAContactAndAShortKeyAreRefused() {
        IllegalArgumentException own = assertThrows(IllegalArgumentException.class, () -> device().mdns(false).dht(node)
                .protector(secured(id)).contact(id.publicKey()).start());
        assertTrue(own.getMessage().contains("our own"), own.getMessage());
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class, () -> device().mdns(false)
                .dht(node).protector(secured(id)).contact(new byte[31]).start());
        assertTrue(shortKey.getMessage().contains("32 octets"), shortKey.getMessage());
    }
}
