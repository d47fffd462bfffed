package org.xp2p.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.jaxb.Xp2pJaxb;
import org.xp2p.schemas.jaxb.linkidentity.IdentityProof;
import org.xp2p.schemas.smack.IdentityProofIq;
import org.xp2p.schemas.smack.InvalidIq;
import org.xp2p.schemas.validation.StanzaValidator;

/** The link-identity proof of secured link-local streams validates and parses like our other elements. */
class IdentityProofTest {
    private static final byte[] KEY = Fixtures.pub(KeyType.ED25519, 3);
    private static final byte[] SIG = new byte[64];

    static {
        Fixtures.providers();
    }

    @Test
    void aProofSurvivesTheProviderAndTheBinding() throws Exception {
        IdentityProofIq iq = new IdentityProofIq(KEY, SIG);
        iq.setStanzaId("p1");
        String xml = iq.toXML().toString();
        assertTrue(new StanzaValidator().validate(xml).valid(), xml);

        IdentityProofIq back = assertInstanceOf(IdentityProofIq.class, Fixtures.parseStanza(xml));
        assertArrayEquals(KEY, back.key());
        assertArrayEquals(SIG, back.signature());
        assertEquals(IQ.Type.set, back.getType());

        List<Object> read = new Xp2pJaxb().read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "t");
        IdentityProof bound = (IdentityProof) read.get(0);
        assertArrayEquals(KEY, bound.getKey());
        assertArrayEquals(SIG, bound.getSig());
    }

    @Test
    void aShortSignatureIsInvalidOnBothPaths() throws Exception {
        String xml = "<iq xmlns='jabber:client' type='set' id='p2'><identityProof xmlns='urn:xp2p:link-identity:1' key='"
                + Base64Text.encode(KEY) + "' sig='AAAA'/></iq>";
        assertFalse(new StanzaValidator().validate(xml).valid());
        InvalidIq invalid = assertInstanceOf(InvalidIq.class, Fixtures.parseStanza(xml));
        assertEquals("sig", invalid.violation().attribute());
        assertEquals("has 3 octets, 64 required", invalid.violation().reason());
    }

    @Test
    void theModelRefusesWrongSizes() {
        assertThrows(IllegalArgumentException.class, () -> new IdentityProofIq(new byte[31], SIG));
    }
}
