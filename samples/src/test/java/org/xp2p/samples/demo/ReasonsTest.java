package org.xp2p.samples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReasonsTest {

    @Test
    void aQuotedErrorStanzaIsReplacedByItsUnescapedText() {
        String quoted = "toyota refused our identity: <iq type='error'><error type='auth'><forbidden/>"
                + "<text xml:lang='en'>monitor&apos;s key is not on our allow-list &amp; never was</text></error></iq>";
        assertEquals("toyota refused our identity: \"monitor's key is not on our allow-list & never was\"",
                Reasons.brief(new IllegalStateException(quoted)));
    }

    @Test
    void aPlainMessageStaysAsItIsAndALongOneIsCut() {
        assertEquals("no route", Reasons.brief(new IllegalStateException("no route")));
        String cut = Reasons.brief(new IllegalStateException("x".repeat(500)));
        assertTrue(cut.length() <= 240 && cut.endsWith("…"), cut);
    }
}
