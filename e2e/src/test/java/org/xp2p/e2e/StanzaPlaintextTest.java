package org.xp2p.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.Jid;
import org.xp2p.schemas.smack.FlatXml;

/** The plaintext of a stanza is Smack's own rendering, character for character, and it parses back on every call. */
class StanzaPlaintextTest {

    /** An element whose child repeats the parent's namespace: {@code toList} drops that xmlns, {@code toString} keeps it. */
    static final class RedundantNamespace implements ExtensionElement {
        @Override
        public String getElementName() {
            return "outer";
        }

        @Override
        public String getNamespace() {
            return "urn:example:a";
        }

        @Override
        public XmlStringBuilder toXML(XmlEnvironment enclosing) {
            XmlStringBuilder xml = new XmlStringBuilder(this, enclosing).rightAngleBracket();
            // The child is rendered as if nothing were in scope, so it declares the namespace again.
            XmlStringBuilder child = new XmlStringBuilder(new StandardExtensionElement("inner", "urn:example:a"), XmlEnvironment.EMPTY);
            xml.append(child.closeEmptyElement());
            return xml.closeElement(this);
        }
    }

    @Test
    void theJoinedPartsAreExactlySmacksToString() {
        Message message = StanzaBuilder.buildMessage("m1").ofType(Message.Type.chat).setLanguage("de")
                .setBody("a < b & c > d ' \" ]]> é \u00e9 \ud83d\ude00").setSubject("s&s")
                .setThread("t1")
                .addExtension(StandardExtensionElement.builder("x", "urn:example:x").addAttribute("k", "v'\"<")
                        .addElement(StandardExtensionElement.builder("y", "urn:example:y").setText("t&<").build())
                        .addElement("z", "text").build())
                .build();
        XmlStringBuilder xml = message.toXML(XmlEnvironment.builder().withNamespace("jabber:client").build());
        assertEquals(xml.toString(), FlatXml.of(xml));
        Message inner = StanzaBuilder.buildMessageFrom(message, (String) null).to((Jid) null).from((Jid) null).build();
        assertArrayEquals(inner.toXML(XmlEnvironment.builder().withNamespace("jabber:client").build()).toString()
                .getBytes(StandardCharsets.UTF_8), StanzaPlaintext.ofMessage(message));
    }

    @Test
    void aRepeatedNamespaceDeclarationIsKeptAsSmackRendersIt() {
        Message message = StanzaBuilder.buildMessage("m2").setBody("b").addExtension(new RedundantNamespace()).build();
        XmlStringBuilder xml = message.toXML(XmlEnvironment.builder().withNamespace("jabber:client").build());
        assertTrue(xml.toString().contains("<inner xmlns='urn:example:a'/>"), xml.toString());
        assertEquals(xml.toString(), FlatXml.of(xml));
    }

    @Test
    void theReusedParserReadsEachPlaintextAfreshEvenAfterABrokenOne() throws Exception {
        for (int i = 0; i < 3; i++) {
            String body = "body " + i;
            Message parsed = StanzaPlaintext.toMessage("<message type='chat'><body>" + body + "</body></message>", "id" + i,
                    Fixtures.ALICE, Fixtures.BOB);
            assertEquals(body, parsed.getBody());
            assertEquals("id" + i, parsed.getStanzaId());
            assertThrows(StanzaPlaintext.PlaintextException.class,
                    () -> StanzaPlaintext.toMessage("<message><body>unclosed", "x", Fixtures.ALICE, Fixtures.BOB));
            assertThrows(StanzaPlaintext.PlaintextException.class,
                    () -> StanzaPlaintext.toMessage("<message/><message/>", "x", Fixtures.ALICE, Fixtures.BOB));
            IQ iq = StanzaPlaintext.toIq("<query xmlns='urn:example:q'/>", "iq" + i, Fixtures.ALICE, Fixtures.BOB, IQ.Type.get);
            assertEquals("iq" + i, iq.getStanzaId());
            assertEquals("query", iq.getChildElementName());
        }
    }
}
