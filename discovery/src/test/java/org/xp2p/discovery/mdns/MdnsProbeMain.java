package org.xp2p.discovery.mdns;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.xp2p.discovery.PeerInfo;

/**
 * A child-JVM program for namespace tests: an {@link MdnsPresence} bound to the address
 * given as first argument, printing what it browses ({@code ADDED}, {@code UPDATED},
 * {@code REMOVED} lines) and obeying commands on stdin:
 * {@code advertise INSTANCE PORT}, {@code status STATUS MESSAGE}, {@code quit}.
 */
public final class MdnsProbeMain {
    private MdnsProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService executor = Executors.newCachedThreadPool();
        MdnsPresence mdns = MdnsPresence.start(InetAddress.getByName(args[0]), args[1], executor);
        mdns.browse(new PresenceListener() {
            @Override
            public void peerAdded(PeerInfo peer) {
                print("ADDED", peer);
            }

            @Override
            public void peerUpdated(PeerInfo peer) {
                print("UPDATED", peer);
            }

            @Override
            public void peerRemoved(String instance) {
                System.out.println("REMOVED " + instance);
            }
        });
        System.out.println("READY");
        Advertisement ad = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.split(" ", 3);
            switch (w[0]) {
                case "advertise" -> {
                    LinkLocalPresence p = LinkLocalPresence.available(w[1], Integer.parseInt(w[2]))
                            .withNames("Juliet", "Capulet", "jc").withJid("juliet@example.org")
                            .withStatus(PresenceStatus.AVAIL, "on the balcony")
                            .withCaps(new LinkLocalPresence.Caps("https://xp2p.org/caps", "sha-1", "q07IKJEyjvHSyhy//CH0CxmKi8w="));
                    ad = mdns.advertise(p);
                    String claimed = ad.awaitClaimed(Duration.ofSeconds(10));
                    System.out.println("ADVERTISED " + claimed + " " + System.nanoTime());
                }
                case "status" -> {
                    ad.update(ad.presence().withStatus(PresenceStatus.fromTxt(w[1]).orElseThrow(), w[2]));
                    System.out.println("STATUS-SENT");
                }
                case "quit" -> {
                    mdns.close();
                    executor.shutdownNow();
                    System.out.println("BYE");
                    return;
                }
                default -> System.out.println("UNKNOWN " + line);
            }
        }
    }

    private static void print(String kind, PeerInfo peer) {
        System.out.println(kind + " " + peer.jid() + " " + System.nanoTime() + " " + peer.localEndpoints() + " "
                + peer.attributes());
    }
}
