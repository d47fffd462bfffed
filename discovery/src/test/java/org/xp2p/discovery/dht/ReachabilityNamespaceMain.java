package org.xp2p.discovery.dht;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.xp2p.discovery.dht.record.SignedRecord;

/**
 * One side of {@link ReachabilityNamespaceTest}, run in a network namespace by ChildJvm.
 * Prints one line per fact the test waits for and reads commands on stdin; ends when stdin
 * closes, closing its nodes.
 * <ul>
 * <li>{@code servers IP COUNT}: COUNT nodes that always serve, joined to each other; prints
 *     {@code READY ip:port,...} and {@code RECORD key} (a record they published), then
 *     answers {@code tables TAG} with {@code TABLES TAG id ...} (every ID in their tables) and
 *     {@code get KEY} with {@code GOT KEY true|false}, {@code dialbacks} with {@code DIALBACKS n}
 *     (probes they sent for others).
 * <li>{@code auto IP SEEDS KEY}: one AUTO node joined through SEEDS; prints {@code ID id},
 *     {@code SERVES true|false} after its reachability check, {@code KEY key} and
 *     {@code PUT acked} after publishing its own record and {@code GOT KEY true|false} after looking KEY up.
 * </ul>
 */
public final class ReachabilityNamespaceMain {

    private ReachabilityNamespaceMain() {
    }

    static DhtConfig.Builder config() {
        return DhtConfig.builder().puzzleDifficultyBits(8).timeoutMillis(200, 2000).reachabilityWaitMillis(2000);
    }

    public static void main(String[] args) throws Exception {
        SecureRandom random = new SecureRandom();
        InetAddress ip = InetAddress.getByName(args[1]);
        List<DhtNode> nodes = new ArrayList<>();
        try {
            if (args[0].equals("servers")) {
                DhtConfig config = config().reachability(Reachability.SERVER).build();
                int count = Integer.parseInt(args[2]);
                for (int i = 0; i < count; i++) {
                    nodes.add(DhtNode.openUdp(config, NodeIdentity.generate(random, 8), new InetSocketAddress(ip, 0)));
                }
                for (int i = 1; i < count; i++) {
                    nodes.get(i).bootstrap(List.of(nodes.get(0).localAddress())).get(20, TimeUnit.SECONDS);
                }
                List<String> addresses = nodes.stream()
                        .map(n -> n.localAddress().getAddress().getHostAddress() + ":" + n.localAddress().getPort())
                        .toList();
                System.out.println("READY " + String.join(",", addresses));
                SignedRecord r = recordOf(nodes.get(0));
                nodes.get(0).put(r).get(20, TimeUnit.SECONDS);
                System.out.println("RECORD " + r.key().hex());
            } else {
                DhtNode node = DhtNode.openUdp(config().reachability(Reachability.AUTO).build(),
                        NodeIdentity.generate(random, 8), new InetSocketAddress(ip, 0));
                nodes.add(node);
                System.out.println("ID " + node.id().hex());
                List<InetSocketAddress> seeds = new ArrayList<>();
                for (String s : args[2].split(",")) {
                    int colon = s.lastIndexOf(':');
                    seeds.add(new InetSocketAddress(InetAddress.getByName(s.substring(0, colon)),
                            Integer.parseInt(s.substring(colon + 1))));
                }
                node.bootstrap(seeds).get(20, TimeUnit.SECONDS);
                System.out.println("SERVES " + node.checkReachability().get(20, TimeUnit.SECONDS));
                SignedRecord own = recordOf(node);
                System.out.println("KEY " + own.key().hex());
                System.out.println("PUT " + node.put(own).get(20, TimeUnit.SECONDS).stored());
                System.out.println("GOT " + args[3] + " " + found(node, args[3]));
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("tables ")) {
                    TreeSet<String> ids = new TreeSet<>();
                    for (DhtNode n : nodes) {
                        n.contacts().get(10, TimeUnit.SECONDS).forEach(c -> ids.add(c.id().hex()));
                    }
                    System.out.println("TABLES " + line.substring(7).trim() + " " + String.join(" ", ids));
                } else if (line.equals("dialbacks")) {
                    System.out.println("DIALBACKS " + nodes.stream().mapToLong(n -> n.stats().dialBacksSent()).sum());
                } else if (line.startsWith("get ")) {
                    String key = line.substring(4).trim();
                    System.out.println("GOT " + key + " " + found(nodes.get(nodes.size() - 1), key));
                }
            }
        } finally {
            nodes.forEach(DhtNode::close);
        }
    }

    private static boolean found(DhtNode node, String keyHex) throws Exception {
        return node.get(NodeId.of(HexFormat.of().parseHex(keyHex))).get(20, TimeUnit.SECONDS).record().isPresent();
    }

    static SignedRecord recordOf(DhtNode n) {
        long now = System.currentTimeMillis();
        return SignedRecord.sign(SignedRecord.presence(n.identity().publicKey(), new byte[0], now, now,
                now + 3_600_000, List.of(n.id().hex().substring(0, 8) + "@example.org/ns"), List.of(),
                Optional.empty(), org.xp2p.schemas.smack.E2eElement.of(List.of())), n.identity());
    }
}
