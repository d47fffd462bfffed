package org.xp2p.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.xml.bind.JAXBElement;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xp2p.schemas.jaxb.JaxbMapping;
import org.xp2p.schemas.jaxb.Xp2pJaxb;
import org.xp2p.schemas.jaxb.e2e.E2E;
import org.xp2p.schemas.jaxb.e2e.EncryptedPayload;
import org.xp2p.schemas.jaxb.e2e.SynchE2E;
import org.xp2p.schemas.jaxb.p2p.P2P;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.EncryptedElement;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.schemas.smack.SynchE2eIq;
import org.xp2p.schemas.validation.StanzaValidator;
import org.xp2p.schemas.validation.ValidationReport;

/**
 * model -> XML -> valid against the XSD -> parsed -> the same model, along both paths:
 * the Smack elements and providers, and the JAXB binding generated from the XSDs.
 */
class RoundTripTest {
    private final StanzaValidator validator = new StanzaValidator();
    private final Xp2pJaxb jaxb = new Xp2pJaxb();

    static {
        Fixtures.providers();
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void e2eWithOneKeyOfEachTypeSurvivesBothPaths(KeyType type) throws Exception {
        E2eElement element = new E2eElement(true, false, true, List.of(Fixtures.key(type)));
        String xml = element.toXML().toString();

        assertValid(xml);
        assertEquals(element, Fixtures.parseExtension(xml));

        String jaxbXml = Xp2pJaxb.write(JaxbMapping.toJaxb(element));
        assertValid(jaxbXml);
        assertEquals(element, JaxbMapping.fromJaxb((E2E) readOne(jaxbXml)));
        // And each path reads what the other wrote.
        assertEquals(element, Fixtures.parseExtension(jaxbXml));
        assertEquals(element, JaxbMapping.fromJaxb((E2E) readOne(xml)));
    }

    @Test
    void e2eWithAllTwentyKeysSurvivesBothPaths() throws Exception {
        E2eElement element = Fixtures.allKeys();
        String xml = element.toXML().toString();
        assertValid(xml);
        assertEquals(element, Fixtures.parseExtension(xml));
        assertEquals(element, JaxbMapping.fromJaxb((E2E) readOne(Xp2pJaxb.write(JaxbMapping.toJaxb(element)))));
    }

    @Test
    void missingCipherFlagsMeanAllThreeAccepted() throws Exception {
        String xml = "<e2e xmlns='urn:nf:iot:e2e:1.0'><x25519 pub='" + Fixtures.key(KeyType.X25519).pubBase64() + "'/></e2e>";
        E2eElement parsed = (E2eElement) Fixtures.parseExtension(xml);
        assertTrue(parsed.aes() && parsed.cha() && parsed.acp());
        assertTrue(JaxbMapping.fromJaxb((E2E) readOne(xml)).aes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.7|192.168.1.20", "2001:db8::7|fe80::20", "::ffff:198.51.100.1|10.0.0.2"})
    void p2pSurvivesBothPaths(String addresses) throws Exception {
        String[] ip = addresses.split("\\|");
        P2pElement element = new P2pElement(ip[0], 65535, ip[1], 0);
        String xml = element.toXML().toString();
        assertValid(xml);
        assertEquals(element, Fixtures.parseExtension(xml));
        assertEquals(element, JaxbMapping.fromJaxb((P2P) readOne(Xp2pJaxb.write(JaxbMapping.toJaxb(element)))));
    }

    @ParameterizedTest
    @EnumSource(SymmetricCipher.class)
    void encryptedPayloadsSurviveBothPaths(SymmetricCipher cipher) throws Exception {
        for (EncryptedElement element : List.of(
                new EncryptedElement(cipher, KeyType.ED25519, 17, null, new byte[64], new byte[] {1, 2, 3}),
                new EncryptedElement(cipher, KeyType.X25519, EncryptedElement.MAX_COUNTER, null, null, new byte[48]),
                new EncryptedElement(cipher, KeyType.ML256, 0, new byte[1568], new byte[4627], new byte[1000]))) {
            String xml = element.toXML().toString();
            assertValid(xml);
            assertEquals(element, Fixtures.parseExtension(xml));
            @SuppressWarnings("unchecked")
            JAXBElement<EncryptedPayload> read = (JAXBElement<EncryptedPayload>) readOne(
                    Xp2pJaxb.write(JaxbMapping.toJaxb(element)));
            assertEquals(element, JaxbMapping.fromJaxb(read));
        }
    }

    @Test
    void encryptedIqSurvives() throws Exception {
        EncryptedElement payload = new EncryptedElement(SymmetricCipher.ACP, KeyType.P256, 99, null, new byte[64],
                new byte[70]);
        org.xp2p.schemas.smack.EncryptedIq iq = new org.xp2p.schemas.smack.EncryptedIq(payload, IQ.Type.get);
        iq.setStanzaId("e1");
        String xml = iq.toXML().toString();
        assertValid(xml);
        org.xp2p.schemas.smack.EncryptedIq back = assertInstanceOf(org.xp2p.schemas.smack.EncryptedIq.class,
                Fixtures.parseStanza(xml));
        assertEquals(payload, back.payload());
        assertEquals(IQ.Type.get, back.getType());
    }

    @Test
    void synchE2eIqSurvivesBothPaths() throws Exception {
        SynchE2eIq iq = new SynchE2eIq(Fixtures.allKeys(), new P2pElement("203.0.113.7", 5222, "10.0.0.2", 5223));
        iq.setStanzaId("s1");
        String xml = iq.toXML().toString();
        assertValid(xml);

        Stanza parsed = Fixtures.parseStanza(xml);
        SynchE2eIq back = assertInstanceOf(SynchE2eIq.class, parsed);
        assertEquals(IQ.Type.set, back.getType());
        assertEquals(iq.e2e(), back.e2e());
        assertEquals(iq.p2p(), back.p2p());

        SynchE2eIq viaJaxb = JaxbMapping.fromJaxb((SynchE2E) readOne(Xp2pJaxb.write(JaxbMapping.toJaxb(iq))));
        assertEquals(iq.e2e(), viaJaxb.e2e());
        assertEquals(iq.p2p(), viaJaxb.p2p());
    }

    @Test
    void emptySynchE2eAndItsResultSurvive() throws Exception {
        SynchE2eIq request = new SynchE2eIq(null, null);
        request.setStanzaId("s2");
        assertValid(request.toXML().toString());
        SynchE2eIq result = SynchE2eIq.resultFor(request, Fixtures.allKeys(), null);
        SynchE2eIq back = assertInstanceOf(SynchE2eIq.class, Fixtures.parseStanza(result.toXML().toString()));
        assertEquals(IQ.Type.result, back.getType());
        assertEquals("s2", back.getStanzaId());
        assertEquals(result.e2e(), back.e2e());
        assertTrue(back.p2p().isEmpty());
    }

    private void assertValid(String xml) {
        ValidationReport report = validator.validate(xml);
        assertTrue(report.valid(), () -> report.violations() + " in " + xml);
    }

    private Object readOne(String xml) throws Exception {
        List<Object> read = jaxb.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test");
        assertEquals(1, read.size(), () -> "elements read from " + xml);
        return read.get(0);
    }
}
