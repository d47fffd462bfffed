package org.xp2p.bench.linklocal;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.mdns.Advertisement;
import org.xp2p.discovery.mdns.LinkLocalPresence;
import org.xp2p.discovery.mdns.MdnsPresence;
import org.xp2p.discovery.mdns.PresenceListener;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eMode;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.StanzaProtector;
import org.xp2p.xmpp.linklocal.LinkLocalDevice;
import org.xp2p.xmpp.secure.E2eStanzaProtector;

/**
 * One host of the link-local benchmark, run in a child JVM inside a namespace by
 * {@link LinkLocalBench} and driven by commands on stdin (one per line); answers are lines
 * on stdout carrying {@link System#nanoTime()} stamps, which on Linux come from the
 * system-wide monotonic clock and so compare across the JVMs of one machine.
 */
public final class LinkLocalBenchNode {
    private static final PrintStream OUT = System.out;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Advertisement> ads = new HashMap<>();
    private final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    private final AtomicLong bulkReceived = new AtomicLong();
    private volatile long bulkExpected = Long.MAX_VALUE;
    private MdnsPresence mdns;
    private LinkLocalDevice device;

    private LinkLocalBenchNode() {
    }

    public static void main(String[] args) throws Exception {
        new LinkLocalBenchNode().run();
    }

    private static synchronized void say(String line) {
        OUT.println(line);
        OUT.flush();
    }

    private void run() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.split(" ");
            try {
                switch (w[0]) {
                    case "browse" -> browse(w[1], w[2]);
                    case "advertise" -> advertise(w[1], w[2], w[3], Integer.parseInt(w[4]));
                    case "withdraw" -> {
                        ads.remove(w[1]).close();
                        say("WITHDRAWN " + w[1]);
                    }
                    case "mdns-close" -> {
                        if (mdns != null) {
                            mdns.close();
                            mdns = null;
                        }
                        say("MDNS_CLOSED");
                    }
                    case "device" -> startDevice(w[1], w[2], w.length > 4 ? secured(w[3], w[4]) : StanzaProtector.PLAIN);
                    case "device-close" -> {
                        device.close();
                        device = null;
                        say("DEVICE_CLOSED");
                    }
                    case "await-peer" -> {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (device.peer(w[1]).isEmpty() && System.nanoTime() < deadline) {
                            Thread.sleep(10);
                        }
                        say((device.peer(w[1]).isPresent() ? "PEER " : "NO_PEER ") + w[1]);
                    }
                    case "expect" -> {
                        bulkReceived.set(0);
                        bulkExpected = Long.parseLong(w[1]);
                        say("EXPECTING " + w[1]);
                    }
                    case "rtt" -> rtt(w[1], Integer.parseInt(w[2]));
                    case "bulk" -> bulk(w[1], Integer.parseInt(w[2]));
                    case "echo" -> echo(w[1], Integer.parseInt(w[2]));
                    case "sink" -> sink(w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3]));
                    case "tcprtt" -> tcpRtt(w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3]), Integer.parseInt(w[4]));
                    case "tcpbulk" -> tcpBulk(w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3]), Integer.parseInt(w[4]));
                    case "quit" -> {
                        if (device != null) {
                            device.close();
                        }
                        if (mdns != null) {
                            mdns.close();
                        }
                        executor.shutdownNow();
                        say("BYE");
                        return;
                    }
                    default -> say("UNKNOWN " + line);
                }
            } catch (Exception e) {
                say("FAILED " + line + " " + e);
            }
        }
    }

    private MdnsPresence mdns(String address, String host) throws Exception {
        if (mdns == null) {
            mdns = MdnsPresence.start(InetAddress.getByName(address), host, executor);
        }
        return mdns;
    }

    private void browse(String address, String host) throws Exception {
        Map<String, Boolean> withTxt = new java.util.concurrent.ConcurrentHashMap<>();
        mdns(address, host).browse(new PresenceListener() {
            @Override
            public void peerAdded(PeerInfo peer) {
                long now = System.nanoTime();
                say("SEEN " + peer.jid() + " " + now);
                txt(peer, now);
            }

            @Override
            public void peerUpdated(PeerInfo peer) {
                txt(peer, System.nanoTime());
            }

            private void txt(PeerInfo peer, long now) {
                if (peer.attributes().containsKey("txtvers") && withTxt.putIfAbsent(peer.jid(), true) == null) {
                    say("SEEN_TXT " + peer.jid() + " " + now);
                }
            }

            @Override
            public void peerRemoved(String instance) {
                withTxt.remove(instance);
                say("GONE " + instance + " " + System.nanoTime());
            }
        });
        say("BROWSING");
    }

    private void advertise(String address, String host, String name, int port) throws Exception {
        MdnsPresence m = mdns(address, host);
        say("T_ADVERTISE " + name + " " + System.nanoTime());
        ads.put(name, m.advertise(LinkLocalPresence.available(name, port).withNames("Bench", "Mark", "bm")));
        say("ADVERTISED " + name + " " + System.nanoTime());
    }

    /**
     * Secured mode as devices ship it: ed25519 stanza keys (every stanza signed), our identity
     * and the one peer identity we allow derived from one-octet seeds, so that both nodes agree.
     */
    private static StanzaProtector secured(String ourSeed, String peerSeed) {
        SecureRandom random = new SecureRandom();
        E2eEndpoint endpoint = new E2eEndpoint(new LocalKeyRing(EnumSet.of(KeyType.ED25519), 128, random),
                E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E), random);
        return new E2eStanzaProtector(endpoint, identity(ourSeed), List.of(identity(peerSeed).publicKey()));
    }

    private static IdentityKey identity(String seedOctet) {
        byte[] seed = new byte[IdentityKey.SEED_OCTETS];
        Arrays.fill(seed, (byte) Integer.parseInt(seedOctet));
        return IdentityKey.fromSeed(seed);
    }

    private void startDevice(String instance, String address, StanzaProtector protector) throws Exception {
        device = LinkLocalDevice.builder(instance, InetAddress.getByName(address)).protector(protector)
                .handler(new StanzaHandler() {
            @Override
            public void onMessage(Message message, Arrival arrival) {
                String body = message.getBody();
                if (body == null) {
                    return;
                }
                if (body.startsWith("ping ")) {
                    device.send(chat(arrival.peer(), "pong " + body.substring(5)));
                } else if (body.startsWith("pong ")) {
                    pongs.add(body);
                } else if (body.startsWith("bulk ") && bulkReceived.incrementAndGet() == bulkExpected) {
                    say("BULK_DONE " + System.nanoTime());
                }
            }
        }).start();
        say("DEVICE " + device.instance() + " " + device.port());
    }

    private static Message chat(String to, String body) {
        try {
            return StanzaBuilder.buildMessage().to(JidCreate.from(to)).ofType(Message.Type.chat).setBody(body).build();
        } catch (Exception e) {
            throw new IllegalArgumentException(to, e);
        }
    }

    private void rtt(String to, int n) throws Exception {
        int warmup = Math.max(100, n / 10);
        long[] micros = new long[n];
        for (int i = -warmup; i < n; i++) {
            long t0 = System.nanoTime();
            device.send(chat(to, "ping " + i));
            String pong = pongs.poll(30, TimeUnit.SECONDS);
            if (pong == null || !pong.equals("pong " + i)) {
                throw new IllegalStateException("expected pong " + i + ", got " + pong);
            }
            if (i >= 0) {
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
        }
        say("RTT " + stats(micros));
    }

    private void bulk(String to, int n) throws Exception {
        device.send(chat(to, "warm")).get(30, TimeUnit.SECONDS);
        say("BULK_START " + System.nanoTime());
        List<CompletableFuture<Void>> sent = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sent.add(device.send(chat(to, "bulk " + i)));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        say("BULK_SENT " + System.nanoTime());
    }

    private void echo(String address, int port) throws Exception {
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        executor.execute(() -> {
            try (ss; Socket s = ss.accept()) {
                s.setTcpNoDelay(true);
                BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                BufferedWriter wr = new BufferedWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8));
                String l;
                while ((l = r.readLine()) != null) {
                    wr.write(l);
                    wr.write('\n');
                    wr.flush();
                }
            } catch (Exception e) {
                say("ECHO_FAILED " + e);
            }
        });
        say("ECHO_READY");
    }

    private void sink(String address, int port, int n) throws Exception {
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        executor.execute(() -> {
            try (ss; Socket s = ss.accept()) {
                BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                for (int i = 0; i < n; i++) {
                    if (r.readLine() == null) {
                        throw new IllegalStateException("sink got only " + i + " lines");
                    }
                }
                say("TCPBULK_DONE " + System.nanoTime());
            } catch (Exception e) {
                say("SINK_FAILED " + e);
            }
        });
        say("SINK_READY");
    }

    private static String line(int size) {
        char[] c = new char[size - 1];
        Arrays.fill(c, 'x');
        return new String(c) + "\n";
    }

    private void tcpRtt(String address, int port, int n, int size) throws Exception {
        try (Socket s = new Socket(InetAddress.getByName(address), port)) {
            s.setTcpNoDelay(true);
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            var out = s.getOutputStream();
            byte[] msg = line(size).getBytes(StandardCharsets.UTF_8);
            int warmup = Math.max(100, n / 10);
            long[] micros = new long[n];
            for (int i = -warmup; i < n; i++) {
                long t0 = System.nanoTime();
                out.write(msg);
                out.flush();
                r.readLine();
                if (i >= 0) {
                    micros[i] = (System.nanoTime() - t0) / 1000;
                }
            }
            say("TCPRTT " + stats(micros));
        }
    }

    private void tcpBulk(String address, int port, int n, int size) throws Exception {
        try (Socket s = new Socket(InetAddress.getByName(address), port)) {
            var out = new java.io.BufferedOutputStream(s.getOutputStream(), 16 * 1024);
            byte[] msg = line(size).getBytes(StandardCharsets.UTF_8);
            say("TCPBULK_START " + System.nanoTime());
            for (int i = 0; i < n; i++) {
                out.write(msg);
            }
            out.flush();
            s.shutdownOutput();
            s.getInputStream().read(); // until the sink closes
        }
    }

    /** "p50 p99 mean" in microseconds. */
    static String stats(long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        return sorted[(int) (sorted.length * 0.50)] + " " + sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))]
                + " " + Math.round(mean);
    }
}
