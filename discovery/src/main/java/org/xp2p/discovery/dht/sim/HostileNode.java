package org.xp2p.discovery.dht.sim;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.xp2p.discovery.dht.Contact;
import org.xp2p.discovery.dht.DomainSignature;
import org.xp2p.discovery.dht.NodeId;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.discovery.dht.wire.Datagram;
import org.xp2p.discovery.dht.wire.MalformedDatagramException;
import org.xp2p.discovery.dht.wire.Message;
import org.xp2p.discovery.dht.wire.MessageCodec;
import org.xp2p.discovery.dht.wire.StoreStatus;

/**
 * A simulated attacker that speaks the wire protocol itself (not a {@link
 * org.xp2p.discovery.dht.DhtNode}): it answers challenges correctly so it enters routing
 * tables, then lies. Asked for nodes, it names only its fellow attackers (an eclipse
 * attempt); asked for a record it targets, it returns a forged, rolled-back or squatted
 * one in turn; asked to store, it acknowledges and throws the record away; and it pushes
 * its bad records into honest nodes with valid write tokens. Runs on the simulation's loop.
 */
public final class HostileNode {

    /** The bad records it serves for one target key, in rotation. */
    public record Payloads(List<byte[]> records) {
        public Payloads {
            records = List.copyOf(records);
        }
    }

    private final NodeIdentity identity;
    private final SimNetwork.SimTransport transport;
    private final MessageCodec codec = new MessageCodec(null);
    private final int k;
    private final Random random;
    private final List<Contact> fellows = new ArrayList<>();
    private final Map<NodeId, Payloads> payloads = new HashMap<>();
    private final Map<Long, Runnable> awaitingToken = new HashMap<>();
    private final Map<Long, NodeId> tokenFor = new HashMap<>();
    private final Map<Long, InetSocketAddress> tokenFrom = new HashMap<>();
    private int rotation;
    private long badRecordsServed;

    HostileNode(NodeIdentity identity, SimNetwork.SimTransport transport, int k, Random random) {
        this.identity = identity;
        this.transport = transport;
        this.k = k;
        this.random = random;
        transport.start(this::onDatagram);
    }

    public Contact contact() {
        return identity.asContact(transport.localAddress());
    }

    public NodeId id() {
        return identity.id();
    }

    /** The other attackers it names in every NODES reply. */
    public void fellows(List<Contact> others) {
        fellows.clear();
        for (Contact c : others) {
            if (!c.id().equals(id())) {
                fellows.add(c);
            }
        }
    }

    public void serve(NodeId key, Payloads bad) {
        payloads.put(key, bad);
    }

    /** Asks honest nodes for their closest nodes to us, which makes them challenge and admit us. */
    public void introduceTo(List<Contact> honest) {
        for (Contact c : honest) {
            send(c.address(), random.nextLong(), new Message.FindNode(id()));
        }
    }

    /** Fetches a write token from each honest node, then stores every bad record of {@code key} there. */
    public void pushTo(List<Contact> honest, NodeId key) {
        Payloads bad = payloads.get(key);
        if (bad == null) {
            return;
        }
        for (Contact c : honest) {
            long txid = random.nextLong();
            tokenFor.put(txid, key);
            tokenFrom.put(txid, c.address());
            send(c.address(), txid, new Message.FindValue(key));
        }
    }

    public long badRecordsServed() {
        return badRecordsServed;
    }

    private void send(InetSocketAddress to, long txid, Message m) {
        transport.send(to, codec.encode(new Datagram(txid, identity.publicKey(), identity.puzzleNonce(), false, m)));
    }

    private void onDatagram(InetSocketAddress from, byte[] data, int length) {
        Datagram d;
        try {
            d = codec.decode(data, length, 0);
        } catch (MalformedDatagramException e) {
            return;
        }
        Message m = d.message();
        if (m instanceof Message.Ping p) {
            byte[] signed = Arrays.copyOf(p.nonce(), p.nonce().length + 32);
            System.arraycopy(identity.publicKey(), 0, signed, p.nonce().length, 32);
            send(from, d.txid(), new Message.Pong(from, identity.sign(DomainSignature.CHALLENGE, signed)));
        } else if (m instanceof Message.FindNode f) {
            send(from, d.txid(), new Message.Nodes(from, new byte[8], closestFellows(f.target())));
        } else if (m instanceof Message.FindValue f) {
            Payloads bad = payloads.get(f.key());
            byte[] record = null;
            if (bad != null && !bad.records().isEmpty()) {
                record = bad.records().get(rotation++ % bad.records().size());
                badRecordsServed++;
            }
            send(from, d.txid(), new Message.Value(from, new byte[8], record, closestFellows(f.key())));
        } else if (m instanceof Message.Store) {
            send(from, d.txid(), new Message.StoreAck(from, StoreStatus.of(
                    org.xp2p.discovery.dht.record.StoreOutcome.STORED)));
        } else if (m instanceof Message.Value v && tokenFor.containsKey(d.txid())) {
            NodeId key = tokenFor.remove(d.txid());
            InetSocketAddress to = tokenFrom.remove(d.txid());
            for (byte[] bad : payloads.get(key).records()) {
                send(to, random.nextLong(), new Message.Store(key, v.token(), bad));
            }
        }
    }

    private List<Contact> closestFellows(NodeId target) {
        List<Contact> sorted = new ArrayList<>(fellows);
        sorted.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        return sorted.size() > k ? sorted.subList(0, k) : sorted;
    }

    public void close() {
        transport.close();
    }
}
