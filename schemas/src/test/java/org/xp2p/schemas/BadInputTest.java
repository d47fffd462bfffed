package org.xp2p.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.jaxb.Xp2pJaxb;
import org.xp2p.schemas.smack.InvalidExtension;
import org.xp2p.schemas.smack.InvalidIq;
import org.xp2p.schemas.validation.StanzaValidator;
import org.xp2p.schemas.validation.ValidationReport;

/**
 * Each kind of bad input gets a typed error naming element, attribute and reason, from the
 * validator and from the Smack providers alike; the providers never throw.
 */
class BadInputTest {
    private static final String P256 = Fixtures.key(KeyType.P256).pubBase64();
    private final StanzaValidator validator = new StanzaValidator();

    static {
        Fixtures.providers();
    }

    @Test
    void missingRequiredAttributeIsNamed() throws Exception {
        String xml = "<p2p xmlns='urn:nf:iot:p2p:1.0' extIp='203.0.113.1' extPort='1' locPort='2'/>";
        Violation v = onlyViolation(xml);
        assertEquals("p2p", v.element());
        assertEquals("locIp", v.attribute());
        assertTrue(v.reason().contains("must appear"), v.reason());
        assertEquals(1, v.line());

        Violation fromSmack = invalid(xml);
        assertEquals("locIp", fromSmack.attribute());
        assertTrue(fromSmack.reason().contains("missing"));
    }

    @Test
    void portOutsideTheRangeIsNamed() throws Exception {
        String xml = "<p2p xmlns='urn:nf:iot:p2p:1.0' extIp='203.0.113.1' extPort='70000' locIp='10.0.0.1' locPort='2'/>";
        Violation v = onlyViolation(xml);
        assertEquals("extPort", v.attribute());
        assertTrue(v.reason().contains("70000"), v.reason());
        Violation fromSmack = invalid(xml);
        assertEquals("extPort", fromSmack.attribute());
        assertTrue(fromSmack.reason().contains("'70000' is not a port"), fromSmack.reason());
    }

    @Test
    void hostNameInsteadOfAddressIsRejected() throws Exception {
        String xml = "<p2p xmlns='urn:nf:iot:p2p:1.0' extIp='evil.example' extPort='1' locIp='10.0.0.1' locPort='2'/>";
        assertEquals("extIp", onlyViolation(xml).attribute());
        assertEquals("extIp", invalid(xml).attribute());
    }

    @Test
    void pubThatIsNotBase64IsNamed() throws Exception {
        String xml = "<e2e xmlns='urn:nf:iot:e2e:1.0'><p256 pub='not*base64!'/></e2e>";
        Violation v = onlyViolation(xml);
        assertEquals("p256", v.element());
        assertEquals("pub", v.attribute());
        assertTrue(v.reason().contains("base64Binary"), v.reason());
        Violation fromSmack = invalid(xml);
        assertEquals("p256", fromSmack.element());
        assertEquals("pub", fromSmack.attribute());
        assertTrue(fromSmack.reason().contains("not base64"), fromSmack.reason());
    }

    @Test
    void keyOfTheWrongLengthForItsCurveIsNamed() throws Exception {
        String xml = "<e2e xmlns='urn:nf:iot:e2e:1.0'><p384 pub='" + P256 + "'/></e2e>";
        Violation v = onlyViolation(xml);
        assertEquals("p384", v.element());
        assertEquals("pub", v.attribute());
        assertTrue(v.reason().contains("96"), v.reason());
        Violation fromSmack = invalid(xml);
        assertEquals("p384 keys have 96 octets, this one has 64", fromSmack.reason());
    }

    @Test
    void unknownKeyElementIsNamed() throws Exception {
        String xml = "<e2e xmlns='urn:nf:iot:e2e:1.0'><p257 pub='" + P256 + "'/></e2e>";
        Violation v = onlyViolation(xml);
        assertEquals("p257", v.element());
        assertTrue(v.reason().contains("p257"), v.reason());
        Violation fromSmack = invalid(xml);
        assertEquals("p257", fromSmack.element());
        assertTrue(fromSmack.reason().startsWith("unknown key element"), fromSmack.reason());
    }

    @Test
    void unknownKeyAlgorithmInRIsNamed() throws Exception {
        String xml = "<aes xmlns='urn:nf:iot:e2e:1.0' r='des' c='1'>AAAA</aes>";
        assertEquals("r", onlyViolation(xml).attribute());
        Violation fromSmack = invalid(xml);
        assertEquals("r", fromSmack.attribute());
        assertEquals("unknown key algorithm 'des'", fromSmack.reason());
        String foreign = "<aes xmlns='urn:nf:iot:e2e:1.0' r='urn:example:keys#ed25519' c='1'>AAAA</aes>";
        assertEquals("r", onlyViolation(foreign).attribute());
        assertTrue(invalid(foreign).reason().contains("namespace"));
    }

    @Test
    void unknownNamespaceIsNamed() {
        Violation v = onlyViolation("<e2e xmlns='urn:nf:iot:e2e:2.0'/>");
        assertEquals("e2e", v.element());
        assertTrue(v.reason().startsWith("unknown namespace 'urn:nf:iot:e2e:2.0'"), v.reason());
        Violation none = onlyViolation("<p2p extIp='1.2.3.4' extPort='1' locIp='1.2.3.4' locPort='1'/>");
        assertTrue(none.reason().contains("no namespace"), none.reason());
    }

    @Test
    void tenMegabytesOfAttributeTextAreStoppedEarlyWithAShortMessage() throws Exception {
        String huge = "A".repeat(10 * 1024 * 1024);
        String xml = "<e2e xmlns='urn:nf:iot:e2e:1.0'><p256 pub='" + huge + "'/></e2e>";
        Violation v = onlyViolation(xml);
        assertTrue(v.reason().contains("exceeds the limit"), v.reason());
        assertTrue(v.toString().length() < 300, v.toString());

        // Smack has read the stanza already (its transport limits size); the provider still
        // refuses the value without decoding it.
        Violation fromSmack = invalid(xml);
        assertEquals("pub", fromSmack.attribute());
        assertTrue(fromSmack.reason().contains("exceeds the limit of 8192"), fromSmack.reason());
    }

    @Test
    void deeplyNestedElementsAreStopped() throws Exception {
        String xml = "<presence xmlns='jabber:client'>" + "<x>".repeat(10_000) + "</x>".repeat(10_000) + "</presence>";
        Violation v = onlyViolation(xml);
        assertTrue(v.reason().contains("nest deeper than 32"), v.reason());

        String inKey = "<e2e xmlns='urn:nf:iot:e2e:1.0'><p256 pub='" + P256 + "'>" + "<x>".repeat(10_000)
                + "</x>".repeat(10_000) + "</p256></e2e>";
        Violation fromSmack = invalid(inKey);
        assertEquals("p256", fromSmack.element());
        assertTrue(fromSmack.reason().contains("must be empty"), fromSmack.reason());
    }

    @Test
    void doctypeAndExternalEntitiesAreRefused() throws Exception {
        String xxe = "<?xml version='1.0'?><!DOCTYPE p2p [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<p2p xmlns='urn:nf:iot:p2p:1.0' extIp='&x;' extPort='1' locIp='10.0.0.1' locPort='2'/>";
        Violation v = onlyViolation(xxe);
        assertTrue(v.reason().contains("DOCTYPE"), v.reason());

        String billionLaughs = "<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>"
                + "<presence xmlns='jabber:client'>&b;</presence>";
        assertTrue(onlyViolation(billionLaughs).reason().contains("DOCTYPE"));

        Xp2pJaxb jaxb = new Xp2pJaxb();
        SchemaViolationException e = assertThrows(SchemaViolationException.class, () -> jaxb.read(
                new ByteArrayInputStream(xxe.getBytes(StandardCharsets.UTF_8)), "xxe"));
        assertTrue(e.violation().reason().contains("DOCTYPE"));
    }

    @Test
    void brokenXmlIsReportedWithItsPosition() {
        Violation v = onlyViolation("<presence xmlns='jabber:client'>\n  <p2p xmlns='urn:nf:iot:p2p:1.0'\n</presence>");
        assertTrue(v.reason().startsWith("not well-formed XML"), v.reason());
        assertEquals(3, v.line());
        assertTrue(v.column() > 0);
    }

    @Test
    void anInvalidExtensionCostsTheStanzaItsExtensionNotTheConnection() throws Exception {
        String xml = "<presence xmlns='jabber:client' from='a@b/c'>"
                + "<e2e xmlns='urn:nf:iot:e2e:1.0'><ed25519 pub='AAAA'/></e2e>"
                + "<p2p xmlns='urn:nf:iot:p2p:1.0' extIp='203.0.113.1' extPort='1' locIp='10.0.0.1' locPort='2'/>"
                + "</presence>";
        Presence presence = assertInstanceOf(Presence.class, Fixtures.parseStanza(xml));
        List<InvalidExtension> invalid = InvalidExtension.in(presence);
        assertEquals(1, invalid.size());
        assertEquals("ed25519", invalid.get(0).violation().element());
        assertTrue(org.xp2p.schemas.smack.E2eElement.in(presence).isEmpty());
        assertTrue(org.xp2p.schemas.smack.P2pElement.in(presence).isPresent(), "the valid sibling survives");
    }

    @Test
    void anInvalidSynchE2eBecomesAnInvalidIqThatTheDeviceCanAnswer() throws Exception {
        String xml = "<iq xmlns='jabber:client' type='set' id='q' from='a@b/c'><synchE2e xmlns='urn:nf:iot:e2e:1.0'>"
                + "<p2p xmlns='urn:nf:iot:p2p:1.0' extIp='x' extPort='1' locIp='10.0.0.1' locPort='2'/>"
                + "<more/></synchE2e></iq>";
        InvalidIq iq = assertInstanceOf(InvalidIq.class, Fixtures.parseStanza(xml));
        assertEquals("q", iq.getStanzaId());
        assertEquals("extIp", iq.violation().attribute());
        assertFalse(validator.validate(xml).valid());
    }

    @Test
    void violationsAreReportedForEveryFaultInDocumentOrder() {
        String xml = "<presence xmlns='jabber:client'>\n"
                + "<p2p xmlns='urn:nf:iot:p2p:1.0' extIp='1.2.3.4' extPort='-1' locIp='10.0.0.1' locPort='2'/>\n"
                + "<e2e xmlns='urn:nf:iot:e2e:1.0' aes='maybe'/>\n</presence>";
        ValidationReport report = validator.validate(xml);
        assertEquals(2, report.violations().size(), report.violations().toString());
        assertEquals("extPort", report.violations().get(0).attribute());
        assertEquals(2, report.violations().get(0).line());
        assertEquals("aes", report.violations().get(1).attribute());
        assertEquals(3, report.violations().get(1).line());
    }

    @Test
    void severalBadAttributesOfOneElementAreEachReported() {
        ValidationReport report = validator.validate(
                "<p2p xmlns='urn:nf:iot:p2p:1.0' extIp='1.2.3' extPort='1' locIp='fe80::1%eth0' locPort='x'/>");
        assertEquals(List.of("extIp", "locIp", "locPort"),
                report.violations().stream().map(Violation::attribute).toList());
        assertEquals("'1.2.3' is not a valid IpAddress", report.violations().get(0).reason());
    }

    private Violation onlyViolation(String xml) {
        ValidationReport report = validator.validate(xml);
        assertEquals(1, report.violations().size(), () -> "violations: " + report.violations());
        return report.violations().get(0);
    }

    private static Violation invalid(String xml) throws Exception {
        ExtensionElement parsed = Fixtures.parseExtension(xml);
        return assertInstanceOf(InvalidExtension.class, parsed, () -> "parsed as " + parsed).violation();
    }
}
