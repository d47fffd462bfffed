package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.discovery.dht.wire.Datagram;
import org.xp2p.discovery.dht.wire.MalformedDatagramException;
import org.xp2p.discovery.dht.wire.Message;
import org.xp2p.discovery.dht.wire.MessageCodec;

/**
 * Mutated datagrams and records: decoding either succeeds or fails with a
 * {@link MalformedDatagramException}; no other exception can escape to a node's loop,
 * and no mutated record ever verifies.
 */
class CodecFuzzTest {

    @Test
    void mutatedDatagramsFailOnlyWithMalformedDatagramException() {
        Random r = new Random(99);
        NodeIdentity id = NodeIdentity.generate(new SecureRandom(), 0);
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 4000);
        byte[] rec = RecordRulesTest.signed(1).encoded();
        List<Message> all = List.of(new Message.Ping(new byte[16]), new Message.Pong(a, new byte[64]),
                new Message.FindNode(id.id()), new Message.Nodes(a, new byte[8], List.of(id.asContact(a))),
                new Message.FindValue(id.id()), new Message.Value(a, new byte[8], rec, List.of(id.asContact(a))),
                new Message.Store(id.id(), new byte[8], rec), new Message.StoreAck(a, 0),
                new Message.DialBack(new byte[16]), new Message.DialBackAck(a, 1), new Message.DialProbe(new byte[16]));
        for (byte[] key : new byte[][] {null, new byte[16]}) {
            MessageCodec codec = new MessageCodec(key);
            MessageCodec plain = new MessageCodec(null);
            int decoded = 0;
            for (Message m : all) {
                byte[] good = codec.encode(new Datagram(1, id.publicKey(), id.puzzleNonce(), false, m));
                for (int i = 0; i < 3000; i++) {
                    byte[] bad = good.clone();
                    int flips = 1 + r.nextInt(4);
                    for (int f = 0; f < flips; f++) {
                        bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
                    }
                    for (MessageCodec c : new MessageCodec[] {codec, plain}) {
                        try {
                            c.decode(bad, bad.length, 0);
                            decoded++;
                        } catch (MalformedDatagramException expected) {
                            // the only way a datagram may fail
                        }
                    }
                }
            }
            assertTrue(decoded > 0, "no mutation survived: the fuzzer only produced garbage");
        }
    }

    @Test
    void noMutatedRecordVerifies() {
        Random r = new Random(5);
        byte[] good = RecordRulesTest.signed(3).encoded();
        for (int i = 0; i < 20_000; i++) {
            byte[] bad = good.clone();
            int at = r.nextInt(bad.length);
            byte was = bad[at];
            bad[at] = (byte) r.nextInt(256);
            if (bad[at] == was) {
                continue;
            }
            try {
                SignedRecord.decode(bad);
                throw new AssertionError("record with octet " + at + " changed still verified");
            } catch (MalformedDatagramException expected) {
                // refused, as it must be
            }
        }
    }
}
