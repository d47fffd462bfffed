package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.discovery.dht.wire.Datagram;
import org.xp2p.discovery.dht.wire.DropReason;
import org.xp2p.discovery.dht.wire.MalformedDatagramException;
import org.xp2p.discovery.dht.wire.Message;
import org.xp2p.discovery.dht.wire.MessageCodec;
import org.xp2p.discovery.dht.wire.StoreStatus;

/**
 * Every class of bad datagram, sent over real loopback UDP to a real node: each is dropped
 * and counted under its reason, nothing invalid is stored, and the node keeps answering.
 */
class BadDatagramTest {

    private DhtNode node;
    private RawPeer peer;

    @BeforeEach
    void open() throws Exception {
        node = DhtNode.openUdp(LoopbackCluster.testConfig().build(), NodeIdentity.generate(new SecureRandom(), 8),
                new InetSocketAddress(LoopbackCluster.LOOPBACK, 0));
        peer = new RawPeer(8, null);
    }

    @AfterEach
    void close() {
        peer.close();
        node.close();
        assertEquals(List.of(), LoopbackCluster.liveDhtThreads());
    }

    private byte[] validPing() {
        return peer.codec.encode(new Datagram(1, peer.identity.publicKey(), peer.identity.puzzleNonce(), false,
                new Message.Ping(new byte[16])));
    }

    @Test
    void truncatedOversizeGarbageAndWrongVersionAreDroppedAndCounted() throws Exception {
        InetSocketAddress to = node.localAddress();
        byte[] ping = validPing();
        for (int cut : new int[] {1, 10, 52, ping.length - 1}) {
            peer.sendRaw(to, Arrays.copyOf(ping, cut));
        }
        byte[] oversize = Arrays.copyOf(ping, MessageCodec.MAX_DATAGRAM_OCTETS + 1);
        peer.sendRaw(to, oversize);
        byte[] garbage = new byte[300];
        new Random(1).nextBytes(garbage);
        garbage[0] = 0;
        peer.sendRaw(to, garbage);
        peer.sendRaw(to, new byte[0]);
        byte[] v2 = ping.clone();
        v2[2] = 2;
        peer.sendRaw(to, v2);
        byte[] unknownType = ping.clone();
        unknownType[3] = 99;
        peer.sendRaw(to, unknownType);
        byte[] trailing = Arrays.copyOf(ping, ping.length + 3);
        peer.sendRaw(to, trailing);

        peer.roundTrip(to);
        DhtStats s = node.stats();
        // Cuts at 1 and 10 and 52 octets: the first is too short to carry the magic and counts as garbage.
        assertEquals(3, s.dropped(DropReason.TRUNCATED), s.toString());
        assertEquals(1, s.dropped(DropReason.OVERSIZE), s.toString());
        assertEquals(3, s.dropped(DropReason.GARBAGE), s.toString());
        assertEquals(1, s.dropped(DropReason.WRONG_VERSION), s.toString());
        assertEquals(2, s.dropped(DropReason.MALFORMED), s.toString());
    }

    @Test
    void aChallengeAnsweredWithABadSignatureKeepsThePeerOutOfTheTable() throws Exception {
        InetSocketAddress to = node.localAddress();
        // Any request makes the node consider us and challenge us with a ping.
        peer.send(to, new Message.FindNode(node.id()));
        peer.receive(Message.Nodes.class);
        Datagram challenge = peer.receive(Message.Ping.class);
        byte[] wrong = new byte[64];
        new Random(2).nextBytes(wrong);
        peer.reply(to, challenge.txid(), new Message.Pong(to, wrong));
        peer.roundTrip(to);
        assertEquals(1, node.stats().dropped(DropReason.BAD_SIGNATURE), node.stats().toString());
        assertEquals(0, node.routingTableSize().get(5, TimeUnit.SECONDS));
    }

    @Test
    void aChallengeAnsweredCorrectlyAdmitsThePeer() throws Exception {
        InetSocketAddress to = node.localAddress();
        peer.send(to, new Message.FindNode(node.id()));
        Datagram challenge = peer.receive(Message.Ping.class);
        byte[] nonce = ((Message.Ping) challenge.message()).nonce();
        byte[] signed = Arrays.copyOf(nonce, 48);
        System.arraycopy(peer.identity.publicKey(), 0, signed, 16, 32);
        peer.reply(to, challenge.txid(), new Message.Pong(to, peer.identity.sign(DomainSignature.CHALLENGE, signed)));
        peer.roundTrip(to);
        assertEquals(List.of(peer.identity.asContact(peer.address())), node.contacts().get(5, TimeUnit.SECONDS));
    }

    @Test
    void badPuzzleUnsolicitedRepliesAndStoresWithoutTokenOrWithForgedRecordsAreRefused() throws Exception {
        InetSocketAddress to = node.localAddress();
        // A sender whose puzzle nonce does not solve the puzzle for its key (8 bits: nonce+1 fails for most keys).
        NodeIdentity lazy = peer.identity;
        long badNonce = lazy.puzzleNonce() + 1;
        while (IdPuzzle.holds(lazy.publicKey(), badNonce, 8)) {
            badNonce++;
        }
        peer.sendRaw(to, peer.codec.encode(new Datagram(3, lazy.publicKey(), badNonce, false,
                new Message.Ping(new byte[16]))));
        // A reply to nothing we asked.
        peer.reply(to, 42, new Message.StoreAck(to, 0));

        SignedRecord genuine = RecordRulesTest.signedNow();
        // A store without a token for our address.
        peer.send(to, new Message.Store(genuine.key(), new byte[8], genuine.encoded()));
        assertEquals(StoreStatus.BAD_TOKEN, ((Message.StoreAck) peer.receive(Message.StoreAck.class).message()).status());
        // With a real token, a forged record (one octet of the endpoints altered) is refused.
        peer.send(to, new Message.FindValue(genuine.key()));
        byte[] token = ((Message.Value) peer.receive(Message.Value.class).message()).token();
        byte[] forged = genuine.encoded();
        forged[forged.length - 100] ^= 1;
        peer.send(to, new Message.Store(genuine.key(), token, forged));
        assertEquals(StoreStatus.INVALID_RECORD,
                ((Message.StoreAck) peer.receive(Message.StoreAck.class).message()).status());
        peer.roundTrip(to);

        assertEquals(1, node.stats().dropped(DropReason.BAD_PUZZLE), node.stats().toString());
        assertEquals(1, node.stats().dropped(DropReason.UNSOLICITED), node.stats().toString());
        assertTrue(node.storedRecord(genuine.key()).get(5, TimeUnit.SECONDS).isEmpty());

        // The genuine record with the same token is stored, and is what a lookup returns.
        peer.send(to, new Message.Store(genuine.key(), token, genuine.encoded()));
        assertEquals(StoreStatus.of(org.xp2p.discovery.dht.record.StoreOutcome.STORED),
                ((Message.StoreAck) peer.receive(Message.StoreAck.class).message()).status());
        assertEquals(genuine, node.storedRecord(genuine.key()).get(5, TimeUnit.SECONDS).orElseThrow());
    }

    @Test
    void aWriteTokenWorksOnlyForTheAddressItWasIssuedTo() throws Exception {
        InetSocketAddress to = node.localAddress();
        SignedRecord genuine = RecordRulesTest.signedNow();
        peer.send(to, new Message.FindValue(genuine.key()));
        byte[] token = ((Message.Value) peer.receive(Message.Value.class).message()).token();
        try (RawPeer other = new RawPeer(8, null)) {
            other.send(to, new Message.Store(genuine.key(), token, genuine.encoded()));
            assertEquals(StoreStatus.BAD_TOKEN,
                    ((Message.StoreAck) other.receive(Message.StoreAck.class).message()).status());
        }
        assertTrue(node.storedRecord(genuine.key()).get(5, TimeUnit.SECONDS).isEmpty());
    }

    @Test
    void codecRefusesEveryTruncationOfEveryMessageType() throws Exception {
        MessageCodec codec = new MessageCodec(null);
        byte[] key = peer.identity.publicKey();
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 4000);
        List<Contact> contacts = List.of(peer.identity.asContact(a));
        byte[] rec = RecordRulesTest.signed(1).encoded();
        List<Message> all = List.of(new Message.Ping(new byte[16]), new Message.Pong(a, new byte[64]),
                new Message.FindNode(node.id()), new Message.Nodes(a, new byte[8], contacts),
                new Message.FindValue(node.id()), new Message.Value(a, new byte[8], rec, contacts),
                new Message.Store(node.id(), new byte[8], rec), new Message.StoreAck(a, 0));
        for (Message m : all) {
            byte[] full = codec.encode(new Datagram(9, key, peer.identity.puzzleNonce(), false, m));
            assertEquals(m.getClass(), codec.decode(full, full.length, 8).message().getClass());
            for (int cut = 0; cut < full.length; cut++) {
                try {
                    codec.decode(Arrays.copyOf(full, cut), cut, 8);
                    throw new AssertionError(m.getClass().getSimpleName() + " cut to " + cut + " octets decoded");
                } catch (MalformedDatagramException expected) {
                    // every prefix is refused
                }
            }
        }
    }

    @Test
    void nodesListsAreCutToFitTheDatagramLimit() throws Exception {
        MessageCodec codec = new MessageCodec(new byte[16]);
        SecureRandom r = new SecureRandom();
        List<Contact> many = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            NodeIdentity id = NodeIdentity.generate(r, 0);
            many.add(id.asContact(new InetSocketAddress("2001:db8::" + (i + 1), 4000)));
        }
        byte[] out = codec.encode(new Datagram(1, peer.identity.publicKey(), 0, false,
                new Message.Nodes(new InetSocketAddress("2001:db8::99", 1), new byte[8], many)));
        assertTrue(out.length <= MessageCodec.MAX_DATAGRAM_OCTETS, out.length + " octets");
        Message.Nodes back = (Message.Nodes) codec.decode(out, out.length, 0).message();
        assertTrue(back.contacts().size() >= 17, back.contacts().size() + " contacts fit");
    }
}
