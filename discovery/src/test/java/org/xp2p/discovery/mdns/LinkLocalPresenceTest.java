package org.xp2p.discovery.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinkLocalPresenceTest {

    @Test
    void txtHasTxtversFirstThenRequiredThenOptionalKeys() {
        LinkLocalPresence p = LinkLocalPresence.available("juliet@pronto", 5562)
                .withNames("Juliet", "Capulet", "jc")
                .withJid("juliet@example.org")
                .withStatus(PresenceStatus.AWAY, "in the garden")
                .withCaps(new LinkLocalPresence.Caps("https://xp2p.org", "sha-1", "abc="));
        assertEquals(List.of("txtvers", "status", "1st", "last", "port.p2pj", "jid", "nick", "msg", "node", "hash",
                "ver"), List.copyOf(p.txt().keySet()));
        assertEquals("1", p.txt().get("txtvers"));
        assertEquals("away", p.txt().get("status"));
        assertEquals("5562", p.txt().get("port.p2pj"));
        assertEquals("in the garden", p.txt().get("msg"));
    }

    @Test
    void minimalPresencePublishesEmptyNamesAndNoOptionalKeys() {
        LinkLocalPresence p = LinkLocalPresence.available("romeo@orchard", 5298);
        assertEquals(List.of("txtvers", "status", "1st", "last", "port.p2pj"), List.copyOf(p.txt().keySet()));
        assertEquals("", p.txt().get("1st"));
        assertEquals(p.txt(), TxtRecord.decode(p.txtBytes()));
    }

    @Test
    void overlongMessageFailsWhenThePresenceIsBuiltNotWhenPublished() {
        LinkLocalPresence p = LinkLocalPresence.available("romeo@orchard", 5298);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.withStatus(PresenceStatus.AVAIL, "x".repeat(300)));
        assertTrue(e.getMessage().contains("'msg'"), e.getMessage());
    }

    @Test
    void portOutsideTcpRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LinkLocalPresence.available("a@b", 0));
        assertThrows(IllegalArgumentException.class, () -> LinkLocalPresence.available("a@b", 65536));
    }

    @Test
    void statusReadsTxtValuesCaseInsensitivelyAndRejectsUnknown() {
        assertEquals(PresenceStatus.DND, PresenceStatus.fromTxt("DND").orElseThrow());
        assertTrue(PresenceStatus.fromTxt("xa").isEmpty());
    }
}
