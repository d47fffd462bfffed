package org.xp2p.xmpp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.schemas.smack.SynchE2eIq;
import org.xp2p.schemas.smack.Xp2pProviders;

class StanzaDecoderTest {
    private final StanzaDecoder decoder = new StanzaDecoder(new StreamHeader(null, null, null, null,
            Map.of("", StreamHeader.CLIENT_NS, "stream", StreamHeader.STREAMS_NS)));

    @BeforeAll
    static void providers() {
        Xp2pProviders.register();
    }

    private Stanza decode(String xml) throws Exception {
        return decoder.decode(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void messageWithXp2pExtensionComesOutTyped() throws Exception {
        Message m = (Message) decode("<message to='b@y' from='a@x' id='m1'><body>h\u00e9</body>"
                + "<p2p xmlns='urn:nf:iot:p2p:1.0' extIp='203.0.113.5' extPort='5000' locIp='10.0.0.2' locPort='5298'/>"
                + "</message>");
        assertEquals("h\u00e9", m.getBody());
        P2pElement p2p = m.getExtension(P2pElement.class);
        assertEquals(5298, p2p.locPort());
    }

    @Test
    void synchE2eIqComesOutAsItsOwnType() throws Exception {
        Stanza s = decode("<iq type='set' id='s1'><synchE2e xmlns='urn:nf:iot:e2e:1.0'/></iq>");
        assertInstanceOf(SynchE2eIq.class, s);
        assertEquals(IQ.Type.set, ((IQ) s).getType());
    }

    @Test
    void prefixDeclaredOnTheStreamHeaderIsKnownInsideStanzas() throws Exception {
        StanzaDecoder withPrefix = new StanzaDecoder(new StreamHeader(null, null, null, null,
                Map.of("", StreamHeader.CLIENT_NS, "stream", StreamHeader.STREAMS_NS, "x", "urn:example")));
        Stanza s = withPrefix.decode("<message><x:thing/></message>".getBytes(StandardCharsets.UTF_8));
        assertInstanceOf(Message.class, s);
    }

    @Test
    void undefinedEntityIsMalformed() {
        assertThrows(StanzaDecoder.MalformedStanzaException.class, () -> decode("<message><body>&nope;</body></message>"));
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] bad = {'<', 'm', 'e', 's', 's', 'a', 'g', 'e', '>', (byte) 0xC3, '<', '/', 'm', 'e', 's', 's', 'a', 'g', 'e',
            '>'};
        assertThrows(StanzaDecoder.MalformedStanzaException.class, () -> decoder.decode(bad));
    }

    @Test
    void brokenAttributeIsMalformed() {
        assertThrows(StanzaDecoder.MalformedStanzaException.class, () -> decode("<message to=b@y/>"));
    }
}
