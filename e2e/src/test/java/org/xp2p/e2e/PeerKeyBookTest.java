package org.xp2p.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.smack.E2eElement;

class PeerKeyBookTest {

    @Test
    void aRepeatedPresenceKeepsThePreviousKeysAndANewOneRotatesThem() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("book-alice", EnumSet.of(KeyType.ED25519), E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("book-bob", EnumSet.of(KeyType.ED25519), E2ePolicy.DEFAULT);
        PeerKeyBook book = new PeerKeyBook(E2ePolicy.DEFAULT);
        assertTrue(book.keys(Fixtures.ALICE).isEmpty());
        book.update(Fixtures.ALICE, alice.e2eElement());
        Message beforeRotation = alice.encrypt(Fixtures.chat("k-1", "old"), Fixtures.ALICE, alice.peerKeys(bob.e2eElement()));

        alice.ring().rotate();
        book.update(Fixtures.ALICE, alice.e2eElement());
        // Presence is re-broadcast with the same keys; that must not push the old key out.
        E2eElement same = alice.e2eElement();
        PeerKeys afterRepeat = book.update(Fixtures.ALICE, new E2eElement(false, false, true, same.keys()));
        assertFalse(afterRepeat.accepts(SymmetricCipher.AES), "cipher flags follow the latest presence");

        Inbound in = bob.decrypt(Fixtures.received(beforeRotation, Fixtures.ALICE), book.keys(Fixtures.ALICE));
        assertInstanceOf(Inbound.Accepted.class, in, in::toString);

        book.forget(Fixtures.ALICE);
        assertSame(PeerKeys.none(), book.keys(Fixtures.ALICE));
        assertEquals(0, book.keys(Fixtures.ALICE).types().size());
    }
}
