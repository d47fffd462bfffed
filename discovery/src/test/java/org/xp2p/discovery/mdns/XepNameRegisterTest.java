package org.xp2p.discovery.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.jmdns.impl.NameRegister;
import org.junit.jupiter.api.Test;

class XepNameRegisterTest {

    @Test
    void serviceConflictAppendsMinusOneThenCountsUpOnTheMachinePart() {
        assertEquals("juliet@pronto-1", XepNameRegister.next("juliet@pronto"));
        assertEquals("juliet@pronto-2", XepNameRegister.next("juliet@pronto-1"));
        assertEquals("juliet@pronto-10", XepNameRegister.next("juliet@pronto-9"));
    }

    @Test
    void nameWithoutAtGetsTheSuffixAtTheEnd() {
        assertEquals("printer-1", XepNameRegister.next("printer"));
    }

    @Test
    void hostConflictNumbersTheFirstLabel() {
        XepNameRegister r = new XepNameRegister();
        assertEquals("pronto-1.local.", r.incrementName(null, "pronto.local.", NameRegister.NameType.HOST));
        assertEquals("pronto-2.local.", r.incrementName(null, "pronto-1.local.", NameRegister.NameType.HOST));
    }
}
