package org.xp2p.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xp2p.schemas.smack.InvalidExtension;
import org.xp2p.schemas.validation.StanzaValidator;

/**
 * The Smack providers re-implement the XSD rules for speed; this holds them to the same
 * verdict as the XSD validator on the edge cases where two implementations drift apart.
 */
class ProviderSchemaAgreementTest {
    private static final String P2P = "<p2p xmlns='urn:nf:iot:p2p:1.0' extIp='%s' extPort='%s' locIp='10.0.0.1' locPort='1'/>";
    private static final String ED = Fixtures.key(KeyType.ED25519).pubBase64();

    static {
        Fixtures.providers();
    }

    static Stream<String> cases() {
        return Stream.of(
                p2p("1.2.3.4", "0"), p2p("1.2.3.4", "65535"), p2p("1.2.3.4", "65536"), p2p("1.2.3.4", "-1"),
                p2p("1.2.3.4", " 80 "), p2p("1.2.3.4", "+80"), p2p("1.2.3.4", "080"), p2p("1.2.3.4", "8o"),
                p2p("1.2.3.4", ""), p2p("01.2.3.4", "1"), p2p("::", "1"), p2p("1::2::3", "1"), p2p("::ffff:1.2.3.4", "1"),
                p2p("fe80::1%eth0", "1"), p2p(" 1.2.3.4", "1"),
                "<p2p xmlns='urn:nf:iot:p2p:1.0' extIp='1.2.3.4' extPort='1' locIp='10.0.0.1' locPort='1' extra='x'/>",
                "<p2p xmlns='urn:nf:iot:p2p:1.0' extIp='1.2.3.4' extPort='1' locIp='10.0.0.1' locPort='1'>text</p2p>",
                "<e2e xmlns='urn:nf:iot:e2e:1.0'/>",
                "<e2e xmlns='urn:nf:iot:e2e:1.0' aes='false' cha='0' acp='1'/>",
                "<e2e xmlns='urn:nf:iot:e2e:1.0' aes='yes'/>",
                "<e2e xmlns='urn:nf:iot:e2e:1.0'><ed25519 pub='" + ED + "'/><ed25519 pub='" + ED + "'/></e2e>",
                "<e2e xmlns='urn:nf:iot:e2e:1.0'><ed25519 pub=' " + ED + " '/></e2e>",
                "<e2e xmlns='urn:nf:iot:e2e:1.0'><ed25519/></e2e>",
                "<e2e xmlns='urn:nf:iot:e2e:1.0'>junk<ed25519 pub='" + ED + "'/></e2e>",
                "<e2e xmlns='urn:nf:iot:e2e:1.0'><ed25519 xmlns='urn:other' pub='" + ED + "'/></e2e>",
                "<acp xmlns='urn:nf:iot:e2e:1.0' r='x25519' c='4294967295'>AAAA</acp>",
                "<acp xmlns='urn:nf:iot:e2e:1.0' r='x25519' c='4294967296'>AAAA</acp>",
                "<acp xmlns='urn:nf:iot:e2e:1.0' r='x25519' c='-1'>AAAA</acp>",
                "<acp xmlns='urn:nf:iot:e2e:1.0' r='x25519'>AAAA</acp>",
                "<acp xmlns='urn:nf:iot:e2e:1.0' r='x25519' c='1'></acp>",
                "<acp xmlns='urn:nf:iot:e2e:1.0' r='x25519' c='1'>AA AA</acp>",
                "<acp xmlns='urn:nf:iot:e2e:1.0' r='x25519' c='1'>AAA</acp>",
                "<acp xmlns='urn:nf:iot:e2e:1.0' r='x25519' c='1' k='!!'>AAAA</acp>",
                "<acp xmlns='urn:nf:iot:e2e:1.0' r='X25519' c='1'>AAAA</acp>",
                "<acp xmlns='urn:nf:iot:e2e:1.0' r='x25519' c='1'><b/></acp>");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void providerAndSchemaGiveTheSameVerdict(String xml) throws Exception {
        boolean schemaValid = new StanzaValidator().validate(xml).valid();
        ExtensionElement parsed = Fixtures.parseExtension(xml);
        boolean providerValid = !(parsed instanceof InvalidExtension);
        assertEquals(schemaValid, providerValid, () -> "schema says " + schemaValid + ", provider says " + parsed
                + (parsed instanceof InvalidExtension i ? " " + i.violation() : "") + " for " + xml);
    }

    private static String p2p(String ip, String port) {
        return String.format(P2P, ip, port);
    }
}
