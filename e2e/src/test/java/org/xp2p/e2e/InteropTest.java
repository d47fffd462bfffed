package org.xp2p.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.smack.EncryptedElement;

/** What deployed devices send: older and newer namespaces, a prefixed r, one global counter; and concurrent use. */
class InteropTest {

    @Test
    void stanzasInTheIeeeAndNfiNamespacesWithAPrefixedRDecrypt() throws Exception {
        KeyType type = KeyType.ED25519;
        SymmetricCipher cipher = GoldenStanzaTest.cipherFor(type);
        E2ePolicy policy = Fixtures.anyStrength(type, cipher);
        E2eEndpoint alice = Fixtures.endpoint("golden-alice-" + type, Set.of(type), policy);
        E2eEndpoint bob = Fixtures.endpoint("golden-bob-" + type, Set.of(type), policy);
        String golden = Files.readString(Path.of("src/test/resources/golden/message-ed25519.xml"), StandardCharsets.UTF_8).strip();
        for (String ns : List.of("urn:ieee:iot:e2e:1.0", "urn:nfi:iot:e2e:1.0")) {
            String xml = golden.replace("urn:nf:iot:e2e:1.0", ns).replace("r='ed25519'", "r='" + ns + "#ed25519'");
            Stanza wire = PacketParserUtils.parseStanza(xml);
            wire.setFrom(Fixtures.ALICE);
            // A fresh receiver each time: the same counter twice would be a replay.
            E2eEndpoint freshBob = new E2eEndpoint(bob.ring(), policy, new DeterministicRandom("x"));
            Inbound in = freshBob.decrypt(wire, freshBob.peerKeys(alice.e2eElement()));
            assertInstanceOf(Inbound.Accepted.class, in, () -> ns + ": " + in);
        }
    }

    @Test
    void theReferenceImplementationsGlobalCounterIsAccepted() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("gc-alice", EnumSet.of(KeyType.P256), E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("gc-bob", EnumSet.of(KeyType.P256), E2ePolicy.DEFAULT);
        E2eEndpoint.Choice choice = alice.choose(alice.peerKeys(bob.e2eElement())).orElseThrow();
        PeerKeys aliceKeys = bob.peerKeys(alice.e2eElement());
        // Its counter also advances for stanzas to other peers: we see gaps, never a repeat.
        for (long c : new long[] {3, 4, 90, 91, 5_000, 1L << 31, 0xFFFF_FFFEL}) {
            Message sent = alice.encrypt(Fixtures.chat("gc-" + c, "n"), Fixtures.ALICE, choice, c);
            assertInstanceOf(Inbound.Accepted.class, bob.decrypt(Fixtures.received(sent, Fixtures.ALICE), aliceKeys), "c=" + c);
        }
    }

    @Test
    void concurrentSendersAndReceiversNeitherLoseNorDuplicateStanzas() throws Exception {
        Set<KeyType> types = EnumSet.of(KeyType.ED25519);
        E2eEndpoint alice = Fixtures.endpoint("cc-alice", types, E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("cc-bob", types, E2ePolicy.DEFAULT);
        PeerKeys bobKeys = alice.peerKeys(bob.e2eElement());
        PeerKeys aliceKeys = bob.peerKeys(alice.e2eElement());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Message>>> sending = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                sending.add(pool.submit(() -> {
                    List<Message> out = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        out.add(alice.encrypt(Fixtures.chat("cc-" + thread + "-" + i, "m"), Fixtures.ALICE, bobKeys));
                    }
                    return out;
                }));
            }
            List<Message> all = new ArrayList<>();
            for (Future<List<Message>> f : sending) {
                all.addAll(f.get());
            }
            Set<Long> counters = ConcurrentHashMap.newKeySet();
            all.forEach(m -> counters.add(EncryptedElement.in(m).orElseThrow().counter()));
            assertEquals(160, counters.size(), "every stanza has its own counter");

            List<Future<Inbound>> receiving = new ArrayList<>();
            for (Message m : all) {
                receiving.add(pool.submit(() -> bob.decrypt(Fixtures.received(m, Fixtures.ALICE), aliceKeys)));
                receiving.add(pool.submit(() -> bob.decrypt(Fixtures.received(m, Fixtures.ALICE), aliceKeys)));
            }
            int accepted = 0;
            int replayed = 0;
            for (Future<Inbound> f : receiving) {
                Inbound in = f.get();
                if (in instanceof Inbound.Accepted) {
                    accepted++;
                } else if (((Inbound.Rejected) in).reason() == RejectReason.REPLAYED) {
                    replayed++;
                }
            }
            assertEquals(160, accepted, "each stanza accepted exactly once");
            assertEquals(160, replayed, "and its copy refused as a replay");
        } finally {
            pool.shutdown();
        }
        assertTrue(pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS));
    }
}
