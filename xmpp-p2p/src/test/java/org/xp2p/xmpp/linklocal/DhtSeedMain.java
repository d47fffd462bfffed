package org.xp2p.xmpp.linklocal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.xp2p.discovery.dht.DhtNode;
import org.xp2p.discovery.dht.NodeIdentity;

/**
 * A child-JVM DHT node with a throw-away identity, for namespace tests: the public node
 * devices bootstrap from. Arguments: {@code ADDRESS PORT}. Prints {@code READY ip:port};
 * stops on {@code quit} or end of input.
 */
public final class DhtSeedMain {
    private DhtSeedMain() {
    }

    public static void main(String[] args) throws Exception {
        DhtNode node = DhtNode.openUdp(DhtDirectLinkTest.dhtConfig(), NodeIdentity.generate(new SecureRandom(),
                DhtDirectLinkTest.dhtConfig().puzzleDifficultyBits()),
                new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
        System.out.println("READY " + node.localAddress().getAddress().getHostAddress() + ":" + node.localAddress().getPort());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            System.out.println("UNKNOWN " + line);
        }
        node.close();
        System.out.println("BYE");
    }
}
