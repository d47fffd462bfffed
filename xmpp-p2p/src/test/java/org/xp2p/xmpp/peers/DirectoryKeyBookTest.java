package org.xp2p.xmpp.peers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.E2eElement;

/** The directory's view of a peer's keys reaches the e2e key book: learned, rotated, forgotten. */
class DirectoryKeyBookTest {
    private static final String BOB = "bob@localhost/dev";
    private final SecureRandom random = new SecureRandom();
    private final E2eEndpoint ours = new E2eEndpoint(new LocalKeyRing(List.of(KeyType.ED25519), 128, random),
            E2ePolicy.DEFAULT, random);
    private final PeerDirectory directory = new PeerDirectory();
    private final DirectoryKeyBook book = new DirectoryKeyBook(ours);

    private E2eElement someKeys() {
        return new LocalKeyRing(List.of(KeyType.ED25519), 128, random).e2eElement(E2ePolicy.DEFAULT.preferredCiphers());
    }

    private void presence(E2eElement keys, Instant at) {
        directory.put(PeerInfo.builder(BOB, PeerInfo.Source.BROKER_PRESENCE, at).e2eKeys(keys).build());
    }

    @Test
    void keysInTheDirectoryAreUsableAndARotationKeepsThePreviousOnes() {
        directory.addListener(book);
        assertTrue(book.keysOf(BOB).isEmpty(), "an unknown peer has no keys");
        E2eElement first = someKeys();
        presence(first, Instant.now());
        assertFalse(book.keysOf(BOB).isEmpty());
        var before = book.keysOf(BOB).key(KeyType.ED25519).orElseThrow();
        presence(someKeys(), Instant.now().plusSeconds(1));
        assertFalse(book.keysOf(BOB).key(KeyType.ED25519).orElseThrow().equals(before), "the new key is current");
        assertTrue(book.keysOf(BOB).toString().contains("previous"),
                "the rotated-out keys still verify what came before: " + book.keysOf(BOB));
    }

    @Test
    void aPresenceWithoutKeysOrThePeersRemovalForgetsThem() {
        directory.addListener(book);
        presence(someKeys(), Instant.now());
        presence(null, Instant.now().plusSeconds(1));
        assertTrue(book.keysOf(BOB).isEmpty(), "a presence without <e2e/> withdraws the keys");
        presence(someKeys(), Instant.now().plusSeconds(2));
        directory.remove(BOB, PeerInfo.Source.BROKER_PRESENCE);
        assertTrue(book.keysOf(BOB).isEmpty(), "a peer gone from the directory has no keys");
    }
}
