package org.xp2p.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.Test;

/**
 * The one-pass writer and reader of message plaintexts give exactly what Smack's rendering
 * and Smack's parser give: the same characters out, the same stanza in, and for anything
 * the reader does not read itself, Smack's verdict and error.
 */
class MessagePlaintextTest {
    private static final String[] TEXTS = {"", "hello", "a < b & c > d ' \" ]]> é ✓ \ud83d\ude00", "&amp;", "line\nbreak\ttab",
        "cr\r\nlf", "]]", "x".repeat(4096), " ", "\u0001ctl", "&lt;already&gt;", "lone \ud800 high", "\udc00 lone low", "pair split? \ud83d"};
    private static final String[] LANGUAGES = {null, "", "en", "de-CH", "a'b<c&d"};

    @Test
    void theWriterGivesSmacksCharactersForEveryShapeOfMessage() {
        SplittableRandom random = new SplittableRandom(7);
        int written = 0;
        for (int i = 0; i < 3000; i++) {
            Message message = randomMessage(random);
            String expected = StanzaPlaintext.ofMessageBySmack(message);
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), StanzaPlaintext.ofMessage(message), () -> "for " + expected);
            if (MessagePlaintextWriter.write(message) != null) {
                written++;
            }
        }
        // Only error messages are left to Smack; the rest must take the one-pass writer.
        assertEquals(true, written > 2000, written + " of 3000 written in one pass");
    }

    @Test
    void anErrorMessageIsLeftToSmack() {
        Message error = StanzaBuilder.buildMessage("e1").ofType(Message.Type.error).setBody("b")
                .setError(StanzaError.getBuilder(StanzaError.Condition.item_not_found).build()).build();
        assertNull(MessagePlaintextWriter.write(error));
        assertArrayEquals(StanzaPlaintext.ofMessageBySmack(error).getBytes(StandardCharsets.UTF_8), StanzaPlaintext.ofMessage(error));
    }

    @Test
    void theReaderBuildsTheStanzaSmacksParserBuildsFromEveryWrittenPlaintext() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        int read = 0;
        for (int i = 0; i < 3000; i++) {
            String plaintext = new String(StanzaPlaintext.ofMessage(randomMessage(random)), StandardCharsets.UTF_8);
            if (compare(plaintext)) {
                read++;
            }
        }
        assertEquals(true, read > 500, read + " of 3000 read in one pass"); // the rest hold other extensions or \r, ]]>
    }

    @Test
    void aMessageHoldingOnlyABodyIsWrittenAndReadAsSmackDoesForEveryTypeAndText() {
        for (Message.Type type : Message.Type.values()) {
            if (type == Message.Type.error) {
                continue;
            }
            for (String text : TEXTS) {
                Message message = StanzaBuilder.buildMessage("b1").to(Fixtures.BOB).from(Fixtures.ALICE).ofType(type)
                        .addExtension(new Message.Body(null, text)).build();
                byte[] written = StanzaPlaintext.ofMessage(message);
                assertArrayEquals(StanzaPlaintext.ofMessageBySmack(message).getBytes(StandardCharsets.UTF_8), written, text);
                String plaintext = new String(written, StandardCharsets.UTF_8);
                // Read here unless XML would rewrite it (\r) or Smack refuses it (]]>); compare() fails the
                // test if what was read differs from Smack's parse.
                assertEquals(!text.contains("\r") && !text.contains("]]>"), compare(plaintext), plaintext);
            }
        }
    }

    @Test
    void aBodyOnlyPlaintextWithAnythingAroundOrInsideTheBodyIsNotTakenForOne() {
        for (String plaintext : List.of(
                "<message type='chat'><body>a</body></message> ",
                "<message type='chat'><body>a</body><body>b</body></message>",
                "<message type='chat'><body>a<b/></body></message>",
                "<message type='chat'><body>]]></body></message>",
                "<message type='chat'><body>a\r\nb</body></message>",
                "<message type='chat'><body>&#65;</body></message>",
                "<message type='chat' ><body>a</body></message>",
                "<message type='chat'><body></message>")) {
            Message read = MessagePlaintextReader.read(plaintext, "id", Fixtures.ALICE, Fixtures.BOB);
            if (read != null) {
                assertEquals(true, compare(plaintext), plaintext);
            }
        }
        assertNull(MessagePlaintextReader.read("<message type='chat'><body>a<b/></body></message>", "id", Fixtures.ALICE,
                Fixtures.BOB));
        assertNull(MessagePlaintextReader.read("<message type='chat'><body></message>", "id", Fixtures.ALICE, Fixtures.BOB));
    }

    @Test
    void theCommonShapesAreReadInOnePass() {
        for (String plaintext : List.of(
                "<message type='chat'><body>hi</body></message>",
                "<message xml:lang='en' type='normal'><body>a &lt; b &amp;&amp; c &gt; d &quot;&apos;</body></message>",
                "<message type=\"headline\" ><subject xml:lang='de'>s</subject>\n <body/><thread parent='p'>t</thread></message>",
                "<message/>", "<message type='groupchat'></message>", "<message><body>" + "x".repeat(4096) + "</body></message>")) {
            assertNotNull(MessagePlaintextReader.read(plaintext, "id", Fixtures.ALICE, Fixtures.BOB), plaintext);
            assertEquals(true, compare(plaintext), plaintext);
        }
    }

    @Test
    void whatXmlWouldRewriteOrSmackWouldRefuseIsLeftToSmacksParser() {
        for (String plaintext : List.of(
                "<message type='chat'><body>cr\r\nlf</body></message>",
                "<message type='chat'><body>&#65;</body></message>",
                "<message type='chat'><body>&nbsp;</body></message>",
                "<message type='chat'><body>]]></body></message>",
                "<message type='CHAT'><body>b</body></message>",
                "<message type='error'><body>b</body></message>",
                "<message type='chat' type='chat'><body>b</body></message>",
                "<message xml:lang='a\tb'><body>b</body></message>",
                "<message id='inner'><body>b</body></message>",
                "<message xmlns='jabber:client'><body>b</body></message>",
                "<message><body xmlns='urn:x'>b</body></message>",
                "<message><body><b>bold</b></body></message>",
                "<message><thread></thread></message>",
                "<message><thread parent=''>t</thread></message>",
                "<message><x xmlns='urn:x'/></message>",
                " <message/>",
                "<message/> ",
                "<message/><message/>",
                "<message><body>unclosed",
                "<message type='chat'body='b'/>",
                "<messages/>")) {
            assertNull(MessagePlaintextReader.read(plaintext, "id", Fixtures.ALICE, Fixtures.BOB), plaintext);
        }
    }

    @Test
    void malformedPlaintextGetsSmacksVerdictAndWording() {
        for (String plaintext : List.of("<message><body>unclosed", "<message/><message/>", "<message type='bogus'/>",
                "<message><thread></thread></message>", "<message><body>]]></body></message>", "<iq/>", "text")) {
            StanzaPlaintext.PlaintextException expected = assertThrows(StanzaPlaintext.PlaintextException.class,
                    () -> StanzaPlaintext.toMessageBySmack(plaintext, "id", Fixtures.ALICE, Fixtures.BOB), plaintext);
            StanzaPlaintext.PlaintextException actual = assertThrows(StanzaPlaintext.PlaintextException.class,
                    () -> StanzaPlaintext.toMessage(plaintext, "id", Fixtures.ALICE, Fixtures.BOB), plaintext);
            assertEquals(expected.getMessage(), actual.getMessage());
        }
    }

    @Test
    void mutatedPlaintextIsEitherReadAsSmackReadsItOrLeftToSmack() throws Exception {
        String[] pieces = {"<", ">", "&", ";", "'", "\"", "/", " ", "\r", "\n", "\t", "]", "]]>", "x", "é", "lt", "amp",
            "#", "=", "body", "</body>", "<body>", "xml:lang='en'", "type='chat'", "&lt;", "&#x41;", "<thread>", "parent='p'"};
        SplittableRandom random = new SplittableRandom(13);
        int read = 0;
        for (int i = 0; i < 4000; i++) {
            StringBuilder plaintext = new StringBuilder(new String(StanzaPlaintext.ofMessage(randomMessage(random)), StandardCharsets.UTF_8));
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(plaintext.length() + 1);
                int cut = random.nextInt(3) == 0 ? Math.min(plaintext.length() - at, 1 + random.nextInt(4)) : 0;
                plaintext.replace(at, at + cut, pieces[random.nextInt(pieces.length)]);
            }
            if (compare(plaintext.toString())) {
                read++;
            }
        }
        assertEquals(true, read > 30, read + " of 4000 mutated plaintexts read in one pass");
    }

    /**
     * Whether the reader read {@code plaintext} itself; if it did, Smack's parser must have
     * read it too, to the same stanza.
     */
    private static boolean compare(String plaintext) {
        Message fast = MessagePlaintextReader.read(plaintext, "outer-id", Fixtures.ALICE, Fixtures.BOB);
        if (fast == null) {
            return false;
        }
        Message smack;
        try {
            smack = StanzaPlaintext.toMessageBySmack(plaintext, "outer-id", Fixtures.ALICE, Fixtures.BOB);
        } catch (StanzaPlaintext.PlaintextException e) {
            fail("read in one pass, but Smack refuses it (" + e.getMessage() + "): " + plaintext);
            return false;
        }
        assertEquals(smack.toXML().toString(), fast.toXML().toString(), plaintext);
        assertEquals(smack.getType(), fast.getType(), plaintext);
        assertEquals(smack.getLanguage(), fast.getLanguage(), plaintext);
        assertEquals(classes(smack), classes(fast), plaintext);
        return true;
    }

    private static List<Class<?>> classes(Message m) {
        List<Class<?>> out = new ArrayList<>();
        for (ExtensionElement e : m.getExtensions()) {
            out.add(e.getClass());
        }
        return out;
    }

    private static Message randomMessage(SplittableRandom random) {
        MessageBuilder b = StanzaBuilder.buildMessage("m" + random.nextInt(100)).to(Fixtures.BOB).from(Fixtures.ALICE);
        int type = random.nextInt(6);
        if (type < Message.Type.values().length && Message.Type.values()[type] != Message.Type.error) {
            b.ofType(Message.Type.values()[type]);
        }
        String language = pick(random, LANGUAGES);
        if (language != null) {
            b.setLanguage(language);
        }
        int children = random.nextInt(5);
        for (int c = 0; c < children; c++) {
            switch (random.nextInt(6)) {
                case 0, 1 -> b.addExtension(new Message.Body(pick(random, LANGUAGES), pick(random, TEXTS)));
                case 2 -> b.addExtension(new Message.Subject(pick(random, LANGUAGES), pick(random, TEXTS)));
                case 3 -> b.addExtension(new Message.Thread("t" + pick(random, TEXTS),
                        random.nextBoolean() ? null : "p" + pick(random, TEXTS)));
                case 4 -> b.addExtension(StandardExtensionElement.builder("x", "urn:example:x").addAttribute("k", "v'\"<&")
                        .setText(pick(random, TEXTS)).build());
                default -> b.addExtension(new StanzaPlaintextTest.RedundantNamespace());
            }
        }
        return b.build();
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
