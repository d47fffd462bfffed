package org.xp2p.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xp2p.schemas.jaxb.JaxbMapping;
import org.xp2p.schemas.jaxb.Xp2pJaxb;
import org.xp2p.schemas.jaxb.e2e.E2E;
import org.xp2p.schemas.jaxb.p2p.P2P;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.EncryptedElement;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.schemas.validation.StanzaValidator;

/** urn:nf (ours), urn:ieee (older devices) and urn:nfi (current spec text) read as one vocabulary. */
class NamespaceAliasTest {
    private static final E2eElement KEYS = E2eElement.of(List.of(Fixtures.key(KeyType.ED25519), Fixtures.key(KeyType.P521)));
    private static final P2pElement P2P = new P2pElement("203.0.113.9", 4000, "10.1.2.3", 4001);

    static {
        Fixtures.providers();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nf", "ieee", "nfi"})
    void everyVariantParsesToTheSameModelOnBothPaths(String variant) throws Exception {
        String ours = KEYS.toXML().toString() + P2P.toXML().toString();
        String xml = "<presence xmlns='jabber:client'>"
                + ours.replace("urn:nf:iot:", "urn:" + variant + ":iot:") + "</presence>";
        assertTrue(new StanzaValidator().validate(xml).valid(), xml);

        Presence presence = (Presence) Fixtures.parseStanza(xml);
        assertEquals(KEYS, E2eElement.in(presence).orElseThrow());
        assertEquals(P2P, P2pElement.in(presence).orElseThrow());

        List<Object> read = new Xp2pJaxb().read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), variant);
        assertEquals(KEYS, JaxbMapping.fromJaxb((E2E) read.get(0)));
        assertEquals(P2P, JaxbMapping.fromJaxb((P2P) read.get(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nf", "ieee", "nfi"})
    void aPrefixedKeyAlgorithmInAnyVariantIsOurs(String variant) throws Exception {
        String xml = "<cha xmlns='urn:nf:iot:e2e:1.0' r='urn:" + variant + ":iot:e2e:1.0#x448' c='5'>AAAA</cha>";
        assertTrue(new StanzaValidator().validate(xml).valid());
        EncryptedElement e = (EncryptedElement) Fixtures.parseExtension(xml);
        assertEquals(KeyType.X448, e.keyType());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ieee", "nfi"})
    void outputIsAlwaysTheNfNamespace(String variant) throws Exception {
        String xml = KEYS.toXML().toString().replace("urn:nf:iot:", "urn:" + variant + ":iot:");
        E2eElement parsed = (E2eElement) Fixtures.parseExtension(xml);
        assertTrue(parsed.toXML().toString().contains("xmlns='urn:nf:iot:e2e:1.0'"));
    }
}
