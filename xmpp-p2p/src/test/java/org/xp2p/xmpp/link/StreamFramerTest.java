package org.xp2p.xmpp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamFramerTest {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' from='a@x' to='b@y' version='1.0'>";

    private static final class Recorder implements StreamFramer.Sink {
        StreamHeader header;
        final List<String> elements = new ArrayList<>();
        boolean ended;

        @Override
        public void header(StreamHeader h) {
            header = h;
        }

        @Override
        public void element(String qname, byte[] xml) {
            elements.add(qname + "|" + new String(xml, StandardCharsets.UTF_8));
        }

        @Override
        public void end() {
            ended = true;
        }
    }

    private static Recorder feed(String text, int max) throws StreamFault {
        Recorder r = new Recorder();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        new StreamFramer(max, r).feed(b, 0, b.length);
        return r;
    }

    @Test
    void readsHeaderStanzasAndEnd() throws StreamFault {
        Recorder r = feed(HEADER + "<message to='b@y'><body>hi</body></message> \n <iq type='get' id='1'/></stream:stream>",
                4096);
        assertEquals("a@x", r.header.from());
        assertEquals("b@y", r.header.to());
        assertTrue(r.header.versionAtLeastOne());
        assertEquals(List.of("message|<message to='b@y'><body>hi</body></message>", "iq|<iq type='get' id='1'/>"),
                r.elements);
        assertTrue(r.ended);
    }

    @Test
    void everySplitPointGivesTheSameElementsIncludingInsideMultiByteCharacters() throws StreamFault {
        String stanza = "<message><body>\u20ac \u00e9 \uD83D\uDE00 &amp; <![CDATA[a>b]]></body></message>";
        byte[] all = (HEADER + stanza + "</stream:stream>").getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < all.length; split++) {
            Recorder r = new Recorder();
            StreamFramer f = new StreamFramer(4096, r);
            f.feed(all, 0, split);
            f.feed(all, split, all.length - split);
            assertEquals(List.of("message|" + stanza), r.elements, "split at byte " + split);
            assertTrue(r.ended);
        }
    }

    @Test
    void quotedGreaterThanAndSlashDoNotEndTags() throws StreamFault {
        Recorder r = feed(HEADER + "<message id='a>b/' x=\"/>\"><body/></message>", 4096);
        assertEquals(List.of("message|<message id='a>b/' x=\"/>\"><body/></message>"), r.elements);
    }

    @Test
    void elementOverTheLimitIsAPolicyViolationBeforeItIsBuffered() {
        String big = "<message><body>" + "x".repeat(5000) + "</body></message>";
        StreamFault f = assertThrows(StreamFault.class, () -> feed(HEADER + big, 2048));
        assertEquals(StreamErrorCondition.POLICY_VIOLATION, f.condition());
    }

    @Test
    void elementOfExactlyTheLimitIsAccepted() throws StreamFault {
        String open = "<message><body>";
        String close = "</body></message>";
        String stanza = open + "y".repeat(2048 - open.length() - close.length()) + close;
        assertEquals(2048, stanza.length());
        assertEquals(1, feed(HEADER + stanza, 2048).elements.size());
    }

    @Test
    void mismatchedEndTagIsNotWellFormed() {
        StreamFault f = assertThrows(StreamFault.class, () -> feed(HEADER + "<message><body>x</message>", 4096));
        assertEquals(StreamErrorCondition.NOT_WELL_FORMED, f.condition());
    }

    @Test
    void textBetweenStanzasIsNotWellFormedButWhitespaceIsAKeepAlive() throws StreamFault {
        assertEquals(0, feed(HEADER + "  \n\t  ", 4096).elements.size());
        StreamFault f = assertThrows(StreamFault.class, () -> feed(HEADER + " hello <message/>", 4096));
        assertEquals(StreamErrorCondition.NOT_WELL_FORMED, f.condition());
    }

    @Test
    void commentsProcessingInstructionsAndDoctypesAreRestricted() {
        assertEquals(StreamErrorCondition.RESTRICTED_XML,
                assertThrows(StreamFault.class, () -> feed(HEADER + "<!-- hi -->", 4096)).condition());
        assertEquals(StreamErrorCondition.RESTRICTED_XML,
                assertThrows(StreamFault.class, () -> feed(HEADER + "<message><?pi x?></message>", 4096)).condition());
        assertEquals(StreamErrorCondition.RESTRICTED_XML,
                assertThrows(StreamFault.class, () -> feed("<!DOCTYPE x [<!ENTITY a 'b'>]>" + HEADER, 4096)).condition());
    }

    @Test
    void headerWithoutVersionFromOrToIsAccepted() throws StreamFault {
        Recorder r = feed("<stream:stream xmlns='jabber:client' xmlns:stream=\"http://etherx.jabber.org/streams\">", 4096);
        assertNull(r.header.from());
        assertNull(r.header.to());
        assertNull(r.header.version());
        assertTrue(!r.header.versionAtLeastOne());
    }

    @Test
    void headerInAnotherNamespaceIsRefused() {
        StreamFault f = assertThrows(StreamFault.class, () -> feed("<stream xmlns='jabber:client'>", 4096));
        assertEquals(StreamErrorCondition.INVALID_NAMESPACE, f.condition());
    }

    @Test
    void bytesAfterTheStreamEndAreIgnored() throws StreamFault {
        Recorder r = feed(HEADER + "</stream:stream><garbage", 4096);
        assertTrue(r.ended);
    }

    @Test
    void nestingBeyondTheLimitIsAPolicyViolation() {
        String deep = "<a>".repeat(StreamFramer.MAX_DEPTH + 1);
        StreamFault f = assertThrows(StreamFault.class, () -> feed(HEADER + deep, 1 << 16));
        assertEquals(StreamErrorCondition.POLICY_VIOLATION, f.condition());
    }
}
