package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.dht.net.EphemeralPortProbeSender;
import org.xp2p.discovery.dht.net.ExecutorEventLoop;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.discovery.dht.wire.Datagram;
import org.xp2p.discovery.dht.wire.DropReason;
import org.xp2p.discovery.dht.wire.MalformedDatagramException;
import org.xp2p.discovery.dht.wire.Message;
import org.xp2p.discovery.dht.wire.MessageCodec;

/**
 * Reachability detection on real loopback UDP: AUTO nodes that can be reached serve,
 * nodes behind a NAT-like filter stay clients only (yet publish and look up), lying helpers
 * change nothing, and a dial-back goes only to whoever asked, smaller than the request.
 */
class ReachabilityTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static DhtConfig autoConfig() {
        return LoopbackCluster.testConfig().reachability(Reachability.AUTO).reachabilityWaitMillis(1500).build();
    }

    private DhtNode node(DhtConfig config) throws Exception {
        DhtNode n = DhtNode.openUdp(config, NodeIdentity.generate(RANDOM, 8),
                new InetSocketAddress(LoopbackCluster.LOOPBACK, 0));
        open.add(n);
        return n;
    }

    /** A node whose socket drops datagrams from any ip:port it has not sent to. */
    private DhtNode nattedNode(NatFilteringTransport[] transportOut) throws Exception {
        return nattedNode(transportOut, true);
    }

    private DhtNode nattedNode(NatFilteringTransport[] transportOut, boolean filtering) throws Exception {
        NatFilteringTransport t = new NatFilteringTransport(new InetSocketAddress(LoopbackCluster.LOOPBACK, 0));
        t.filtering(filtering);
        ExecutorEventLoop loop = new ExecutorEventLoop("natted-" + t.localAddress().getPort());
        open.add(loop);
        DhtNode n = DhtNode.onTransport(autoConfig(), NodeIdentity.generate(RANDOM, 8), t,
                new EphemeralPortProbeSender(LoopbackCluster.LOOPBACK), loop, RANDOM);
        open.add(n);
        transportOut[0] = t;
        return n;
    }

    private List<DhtNode> servers(int n) throws Exception {
        DhtConfig config = LoopbackCluster.testConfig().build();
        List<DhtNode> servers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            servers.add(node(config));
        }
        for (int i = 1; i < n; i++) {
            servers.get(i).bootstrap(List.of(servers.get(0).localAddress())).get(10, TimeUnit.SECONDS);
        }
        return servers;
    }

    private static List<InetSocketAddress> addresses(List<DhtNode> nodes) {
        return nodes.stream().map(DhtNode::localAddress).toList();
    }

    private static boolean inTable(DhtNode holder, DhtNode who) throws Exception {
        return holder.contacts().get(5, TimeUnit.SECONDS).stream().anyMatch(c -> c.id().equals(who.id()));
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static SignedRecord recordOf(DhtNode n) {
        long now = System.currentTimeMillis();
        return SignedRecord.sign(SignedRecord.presence(n.identity().publicKey(), new byte[0], now, now,
                now + 3_600_000, List.of("p@example.org/x"), List.of(), Optional.empty(),
                org.xp2p.schemas.smack.E2eElement.of(List.of())), n.identity());
    }

    @Test
    void aReachableAutoNodeStartsAsClientThenServesAndEntersOthersTables() throws Exception {
        List<DhtNode> servers = servers(4);
        DhtNode auto = node(autoConfig());
        assertFalse(auto.servesOthers(), "an AUTO node must start as a client only");
        auto.bootstrap(addresses(servers)).get(10, TimeUnit.SECONDS);
        assertTrue(auto.checkReachability().get(10, TimeUnit.SECONDS));
        assertTrue(auto.servesOthers());
        assertTrue(auto.stats().probesCounted() >= 2, auto.stats().toString());
        for (DhtNode s : servers) {
            eventually(s + " takes the node that now serves into its table", () -> {
                try {
                    return inTable(s, auto);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Test
    void aNodeBehindANatFilterStaysClientOnlyOutOfTablesYetPublishesAndLooksUp() throws Exception {
        List<DhtNode> servers = servers(6);
        NatFilteringTransport[] nat = new NatFilteringTransport[1];
        DhtNode natted = nattedNode(nat);
        assertTrue(natted.bootstrap(addresses(servers).subList(0, 3)).get(10, TimeUnit.SECONDS) > 0,
                "a client-only node still fills its own table");
        assertFalse(natted.checkReachability().get(10, TimeUnit.SECONDS));
        assertFalse(natted.servesOthers());
        assertTrue(nat[0].filtered() >= 2, "the helpers' probes must have met the filter");
        assertEquals(0, natted.stats().probesCounted());

        SignedRecord mine = recordOf(natted);
        assertTrue(natted.put(mine).get(10, TimeUnit.SECONDS).succeeded());
        assertEquals(mine, servers.get(5).get(mine.key()).get(10, TimeUnit.SECONDS).record().orElseThrow());
        SignedRecord theirs = recordOf(servers.get(4));
        assertTrue(servers.get(4).put(theirs).get(10, TimeUnit.SECONDS).succeeded());
        assertEquals(theirs, natted.get(theirs.key()).get(10, TimeUnit.SECONDS).record().orElseThrow());
        for (DhtNode s : servers) {
            assertFalse(inTable(s, natted), s + " took the unreachable node into its table");
        }
    }

    @Test
    void aServingNodeThatLosesReachabilityGoesBackToClientAndLeavesTables() throws Exception {
        List<DhtNode> servers = servers(4);
        NatFilteringTransport[] nat = new NatFilteringTransport[1];
        DhtNode node = nattedNode(nat, false);
        node.bootstrap(addresses(servers)).get(10, TimeUnit.SECONDS);
        assertTrue(node.checkReachability().get(10, TimeUnit.SECONDS), "open at first: " + node.stats());
        eventually("a server takes the node in", () -> servers.stream().anyMatch(s -> {
            try {
                return inTable(s, node);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        nat[0].filtering(true);
        // Helpers dial back one host at most once per 5 s; the re-check must find them willing.
        Thread.sleep(5200);
        assertFalse(node.checkReachability().get(10, TimeUnit.SECONDS), node.stats().toString());
        assertFalse(node.servesOthers());
        for (DhtNode s : servers) {
            // Its next answer to each server carries the client-only flag, which takes it out.
            s.addContact(node.localAddress()).get(10, TimeUnit.SECONDS);
            assertFalse(inTable(s, node), s + " kept a node that no longer serves");
        }
    }

    @Test
    void aChangeOfTheAddressPeersSeeStartsACheckAtOnce() throws Exception {
        List<DhtNode> servers = servers(3);
        DhtNode node = node(autoConfig());
        node.bootstrap(addresses(servers)).get(10, TimeUnit.SECONDS);
        eventually("the first check ends with a verdict", node::servesOthers);
        assertEquals(1, node.stats().reachabilityChecks());

        // A peer that sees us where we are changes nothing (the verdict is fresh for 15 min).
        try (LyingHelper same = new LyingHelper(false)) {
            assertTrue(node.addContact(same.address()).get(10, TimeUnit.SECONDS).isPresent());
        }
        Thread.sleep(300);
        assertEquals(1, node.stats().reachabilityChecks());

        // One that sees us at another address (as after a NAT remapped us): check again now.
        InetSocketAddress elsewhere = new InetSocketAddress(LoopbackCluster.LOOPBACK, 9);
        try (LyingHelper moved = new LyingHelper(false, elsewhere)) {
            assertTrue(node.addContact(moved.address()).get(10, TimeUnit.SECONDS).isPresent());
            assertEquals(elsewhere, node.observedAddress().orElseThrow());
            eventually("a second check", () -> node.stats().reachabilityChecks() == 2);
        }
    }

    @Test
    void helpersWhoClaimDialBacksWithoutARealOneDoNotMakeANodeReachable() throws Exception {
        NatFilteringTransport[] nat = new NatFilteringTransport[1];
        DhtNode natted = nattedNode(nat);
        List<LyingHelper> liars = List.of(new LyingHelper(true), new LyingHelper(true), new LyingHelper(false));
        open.addAll(liars);
        for (LyingHelper l : liars) {
            assertTrue(natted.addContact(l.address()).get(10, TimeUnit.SECONDS).isPresent());
        }
        assertFalse(natted.checkReachability().get(10, TimeUnit.SECONDS));
        assertFalse(natted.servesOthers());
        assertTrue(natted.stats().probesIgnored() >= 2,
                "the probes sent from the helpers' own ports passed the filter and had to be refused: "
                        + natted.stats());
        assertEquals(0, natted.stats().probesCounted());
    }

    @Test
    void aDialBackGoesOnlyToTheRequesterIsSmallerThanTheRequestAndIsRateLimited() throws Exception {
        DhtNode helper = node(LoopbackCluster.testConfig().build());
        MessageCodec codec = new MessageCodec(null);
        try (RawPeer requester = new RawPeer(8, null); RawPeer bystander = new RawPeer(8, null)) {
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            byte[] request = codec.encode(new Datagram(7, requester.identity.publicKey(),
                    requester.identity.puzzleNonce(), true, new Message.DialBack(nonce)));
            requester.sendRaw(helper.localAddress(), request);
            List<Received> got = receiveFor(requester.socket, codec, 2, 5000);
            Received ack = got.stream().filter(r -> r.d.message() instanceof Message.DialBackAck).findFirst()
                    .orElseThrow();
            Received probe = got.stream().filter(r -> r.d.message() instanceof Message.DialProbe).findFirst()
                    .orElseThrow();
            assertEquals(Message.DialBackAck.PROBE_SENT, ((Message.DialBackAck) ack.d.message()).status());
            assertEquals(requester.address(), ((Message.DialBackAck) ack.d.message()).observed());
            assertEquals(helper.localAddress(), ack.from);
            assertTrue(java.util.Arrays.equals(nonce, ((Message.DialProbe) probe.d.message()).nonce()));
            assertNotEquals(helper.localAddress(), probe.from, "the probe must leave from another port");
            assertTrue(request.length >= ack.length + probe.length, "request " + request.length
                    + " octets, answers " + ack.length + " + " + probe.length);

            // Asking again at once: refused, and no second probe.
            requester.sendRaw(helper.localAddress(), codec.encode(new Datagram(8, requester.identity.publicKey(),
                    requester.identity.puzzleNonce(), true, new Message.DialBack(nonce))));
            List<Received> again = receiveFor(requester.socket, codec, 2, 700);
            assertEquals(1, again.size(), "only the refusal, no probe: " + again);
            assertEquals(Message.DialBackAck.REFUSED, ((Message.DialBackAck) again.get(0).d.message()).status());
            assertTrue(helper.stats().dialBacksRefused() >= 1);

            // Nothing ever went to anyone else.
            assertTrue(receiveFor(bystander.socket, codec, 1, 300).isEmpty());
        }
    }

    @Test
    void aDialBackRequestHasNoRoomForAnotherTargetAddress() {
        MessageCodec codec = new MessageCodec(null);
        NodeIdentity id = NodeIdentity.generate(RANDOM, 0);
        byte[] good = codec.encode(new Datagram(1, id.publicKey(), id.puzzleNonce(), true,
                new Message.DialBack(new byte[16])));
        // A third party's address appended where no field exists: refused.
        byte[] withTarget = java.util.Arrays.copyOf(good, good.length + 7);
        withTarget[good.length] = 4;
        MalformedDatagramException extra = assertThrows(MalformedDatagramException.class,
                () -> codec.decode(withTarget, withTarget.length, 0));
        assertEquals(DropReason.MALFORMED, extra.reason());
        // The padding that keeps the answers smaller than the request cannot be left out or filled.
        byte[] unpadded = java.util.Arrays.copyOf(good, good.length - MessageCodec.DIAL_BACK_PADDING_OCTETS);
        assertEquals(DropReason.TRUNCATED, assertThrows(MalformedDatagramException.class,
                () -> codec.decode(unpadded, unpadded.length, 0)).reason());
        byte[] dirty = good.clone();
        dirty[dirty.length - 1] = 1;
        assertEquals(DropReason.MALFORMED, assertThrows(MalformedDatagramException.class,
                () -> codec.decode(dirty, dirty.length, 0)).reason());
    }

    @Test
    void aNetworkOfAutoNodesAloneFormsAndServes() throws Exception {
        List<DhtNode> nodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            nodes.add(node(autoConfig()));
        }
        for (int i = 1; i < nodes.size(); i++) {
            // Even the second node, whose only seed has nobody to ask but it, joins with a contact:
            // each dials the other back, both serve, and the join asks again.
            assertTrue(nodes.get(i).bootstrap(addresses(nodes.subList(0, i))).get(20, TimeUnit.SECONDS) > 0,
                    "node " + i + " joined with an empty table");
        }
        for (DhtNode n : nodes) {
            eventually(n + " serves", n::servesOthers);
            eventually(n + " has contacts", () -> n.routingTableSize().join() > 0);
        }
        SignedRecord r = recordOf(nodes.get(5));
        assertTrue(nodes.get(5).put(r).get(10, TimeUnit.SECONDS).succeeded());
        assertEquals(r, nodes.get(0).get(r.key()).get(10, TimeUnit.SECONDS).record().orElseThrow());
    }

    private record Received(InetSocketAddress from, int length, Datagram d) { }

    /** Up to {@code max} datagrams arriving within {@code windowMillis}. */
    private static List<Received> receiveFor(DatagramSocket s, MessageCodec codec, int max, long windowMillis)
            throws Exception {
        List<Received> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + windowMillis;
        byte[] buf = new byte[2048];
        while (out.size() < max) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            s.setSoTimeout((int) left);
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            out.add(new Received((InetSocketAddress) p.getSocketAddress(), p.getLength(),
                    codec.decode(buf, p.getLength(), 0)));
        }
        return out;
    }

    /**
     * A peer that answers challenges properly but lies about dial-backs: it says it sent the
     * probe and either sends it from its own port (which the node's NAT filter lets through,
     * since the node just sent there) or sends nothing. Owns its socket and reader thread.
     */
    private static final class LyingHelper implements AutoCloseable {
        private final NodeIdentity identity = NodeIdentity.generate(RANDOM, 8);
        private final MessageCodec codec = new MessageCodec(null);
        private final DatagramSocket socket;
        private final Thread reader;
        private final InetSocketAddress claimedObserved;

        LyingHelper(boolean probeFromOwnPort) throws Exception {
            this(probeFromOwnPort, null);
        }

        /** @param claimedObserved the address its answers say the requester sent from, or null for the true one */
        LyingHelper(boolean probeFromOwnPort, InetSocketAddress claimedObserved) throws Exception {
            this.claimedObserved = claimedObserved;
            socket = new DatagramSocket(new InetSocketAddress(LoopbackCluster.LOOPBACK, 0));
            reader = new Thread(() -> serve(probeFromOwnPort), "lying-helper-" + socket.getLocalPort());
            reader.setDaemon(true);
            reader.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        private void serve(boolean probeFromOwnPort) {
            byte[] buf = new byte[2048];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
                    Datagram d = codec.decode(buf, p.getLength(), 0);
                    if (d.message() instanceof Message.Ping ping) {
                        byte[] signed = java.util.Arrays.copyOf(ping.nonce(), 48);
                        System.arraycopy(identity.publicKey(), 0, signed, 16, 32);
                        send(from, d.txid(), new Message.Pong(claimedObserved != null ? claimedObserved : from,
                                identity.sign(DomainSignature.CHALLENGE, signed)));
                    } else if (d.message() instanceof Message.DialBack b) {
                        if (probeFromOwnPort) {
                            send(from, RANDOM.nextLong(), new Message.DialProbe(b.nonce()));
                        }
                        send(from, d.txid(), new Message.DialBackAck(from, Message.DialBackAck.PROBE_SENT));
                    }
                } catch (Exception e) {
                    // closed, or a datagram this liar does not care about
                }
            }
        }

        private void send(InetSocketAddress to, long txid, Message m) throws Exception {
            byte[] bytes = codec.encode(new Datagram(txid, identity.publicKey(), identity.puzzleNonce(), false, m));
            socket.send(new DatagramPacket(bytes, bytes.length, to));
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            reader.join(2000);
        }
    }
}
