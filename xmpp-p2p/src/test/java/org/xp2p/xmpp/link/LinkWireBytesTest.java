package org.xp2p.xmpp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.xp2p.e2e.DecryptionFailure;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.Inbound;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.Xp2pProviders;

/** What {@link Link#send} writes: exactly what Smack prints for the stanza, read back intact. */
class LinkWireBytesTest {
    private final StanzaDecoder decoder = new StanzaDecoder(new StreamHeader(null, null, null, null,
            Map.of("", StreamHeader.CLIENT_NS, "stream", StreamHeader.STREAMS_NS)));

    @BeforeAll
    static void providers() {
        Xp2pProviders.register();
    }

    private Stanza roundTrip(Stanza s) throws Exception {
        return decoder.decode(Link.wireBytes(s));
    }

    @Test
    void aPlainMessageIsWrittenExactlyAsSmackPrintsIt() throws Exception {
        Message m = StanzaBuilder.buildMessage("m1").to(JidCreate.from("b@y/r")).from(JidCreate.from("a@x/r"))
                .setBody("h\u00e9 <&> 'quoted'").build();
        assertEquals(m.toXML().toString(), new String(Link.wireBytes(m), StandardCharsets.UTF_8));
    }

    @Test
    void aNestedElementRepeatingItsParentsNamespaceIsWrittenAsSmackPrintsIt() throws Exception {
        StandardExtensionElement ext = StandardExtensionElement.builder("outer", "urn:test:x")
                .addElement(StandardExtensionElement.builder("inner", "urn:test:x").setText("v").build()).build();
        Message m = StanzaBuilder.buildMessage("m2").to(JidCreate.from("b@y/r")).from(JidCreate.from("a@x/r"))
                .addExtension(ext).build();
        assertEquals(m.toXML().toString(), new String(Link.wireBytes(m), StandardCharsets.UTF_8));
        StandardExtensionElement read = (StandardExtensionElement) roundTrip(m).getExtensionElement("outer", "urn:test:x");
        assertEquals("urn:test:x", read.getNamespace());
        assertEquals("urn:test:x", read.getFirstElement("inner").getNamespace());
        assertEquals("v", read.getFirstElement("inner").getText());
    }

    @Test
    void anErrorWhoseTextRepeatsItsConditionsNamespaceKeepsItsText() throws Exception {
        IQ request = new Ping(JidCreate.from("b@y/r"));
        request.setFrom(JidCreate.from("a@x/r"));
        IQ reply = DecryptionFailure.replyTo(request);
        assertEquals(reply.toXML().toString(), new String(Link.wireBytes(reply), StandardCharsets.UTF_8));
        IQ read = (IQ) roundTrip(reply);
        assertEquals(DecryptionFailure.TEXT, read.getError().getDescriptiveText());
        assertTrue(DecryptionFailure.isReport(read));
    }

    @Test
    void anEncryptedMessageReadBackDecryptsToItsBody() throws Exception {
        SecureRandom random = new SecureRandom();
        E2ePolicy policy = E2ePolicy.DEFAULT.withPreferredKeyTypes(List.of(KeyType.ED25519));
        E2eEndpoint alice = new E2eEndpoint(new LocalKeyRing(List.of(KeyType.ED25519), 128, random), policy, random);
        E2eEndpoint bob = new E2eEndpoint(new LocalKeyRing(List.of(KeyType.ED25519), 128, random), policy, random);
        Message plain = StanzaBuilder.buildMessage("m3").to(JidCreate.from("bob@y/r")).setBody("x".repeat(256)).build();
        Message sealed = alice.encrypt(plain, JidCreate.from("alice@x/r"), alice.peerKeys(bob.e2eElement()));
        sealed.setFrom(JidCreate.from("alice@x/r")); // as Link.send does before writing

        assertEquals(sealed.toXML().toString(), new String(Link.wireBytes(sealed), StandardCharsets.UTF_8));
        Stanza read = roundTrip(sealed);
        assertEquals(sealed.toXML().toString(), read.toXML().toString());
        Inbound opened = bob.decrypt(read, bob.peerKeys(alice.e2eElement()));
        Inbound.Accepted accepted = assertInstanceOf(Inbound.Accepted.class, opened);
        assertEquals("x".repeat(256), ((Message) accepted.stanza()).getBody());
    }
}
