package org.xp2p.xmpp.device;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.DeliveryPath;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.broker.BrokerConfig;
import org.xp2p.xmpp.broker.SubscriptionPolicy;
import org.xp2p.xmpp.direct.DirectLinkConfig;
import org.xp2p.xmpp.link.LinkConfig;
import org.xp2p.xmpp.routing.Delivery;
import org.xp2p.xmpp.routing.RouterConfig;

/**
 * One device in a child JVM (inside a network namespace), driven by line commands on
 * stdin and answering with prefixed lines on stdout. Arguments: user, broker address,
 * broker port, local address, own external address ("-" behind NAT), the contact allowed to
 * subscribe, and optionally "portmap" (map the link port on the gateway).
 */
public final class DeviceNode {
    private record Got(String tag, int n, DeliveryPath path) {
    }

    private static final List<Got> received = new ArrayList<>();
    /** How many messages the background sender may have sent so far; the test raises it. */
    private static final AtomicInteger allowed = new AtomicInteger(Integer.MAX_VALUE);

    private DeviceNode() {
    }

    public static void main(String[] args) throws Exception {
        String user = args[0];
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        InetAddress local = InetAddress.getByName(args[3]);
        InetAddress external = args[4].equals("-") ? null : InetAddress.getByName(args[4]); // "-": behind NAT
        String contact = args[5];
        boolean mapPort = args.length > 6 && args[6].equals("portmap");
        Accounts.register(host, port, user);
        StanzaHandler handler = new StanzaHandler() {
            @Override
            public void onMessage(Message message, Arrival arrival) {
                String body = message.getBody();
                int colon = body == null ? -1 : body.indexOf(':');
                if (colon > 0) {
                    synchronized (received) {
                        received.add(new Got(body.substring(0, colon), Integer.parseInt(body.substring(colon + 1)),
                                arrival.path()));
                    }
                }
            }

            @Override
            public IQ onIqRequest(IQ request, Arrival arrival) {
                return IQ.createResultIQ(request);
            }
        };
        LinkConfig link = new LinkConfig(local, 0, LinkConfig.DEFAULT_MAX_STANZA_BYTES, Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1));
        DirectLinkConfig direct = DirectLinkConfig.on(local).withLink(link);
        Device.Builder builder = Device.builder(BrokerConfig.plaintextForTests("localhost", host, port, user,
                        Accounts.password(user), "dev"))
                .subscriptions(SubscriptionPolicy.allowList(Set.of(JidCreate.bareFrom(contact))))
                .directLinks(external == null ? direct : direct.withOwnExternal(external))
                .router(RouterConfig.defaults().withTimes(Duration.ofSeconds(3), Duration.ofSeconds(8),
                        Duration.ofSeconds(120), Duration.ofSeconds(2)))
                .handler(handler);
        if (mapPort) {
            builder.portMapping(org.xp2p.upnp.PortMapperSettings.on(local).build());
        }
        Device device = builder.start();
        System.out.println("READY " + device.jid() + " port=" + device.endpoints().locPort());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            try {
                switch (w[0]) {
                    case "subscribe" -> device.subscribe(JidCreate.bareFrom(w[1]));
                    case "wait-peer" -> waitPeer(device, w[1], w.length > 2 ? w[2] : null);
                    case "external" -> device.setExternalEndpoint(new InetSocketAddress(InetAddress.getByName(w[1]),
                            device.endpoints().locPort()));
                    case "closelinks" -> {
                        device.links().values().forEach(l -> l.close("closed by the test"));
                        while (!device.links().isEmpty()) {
                            Thread.sleep(20);
                        }
                        System.out.println("CLOSED");
                    }
                    case "request" -> {
                        var r = device.request(new Ping(JidCreate.from(w[1]))).get(60, TimeUnit.SECONDS);
                        System.out.println("RESPONSE " + r.iq().getType() + " " + r.path());
                    }
                    case "link" -> System.out.println("LINK " + device.link(w[1]).map(l -> l.remoteAddress()
                            .getAddress().getHostAddress() + " " + l.direction()).orElse("none"));
                    case "send" -> {
                        allowed.set(w.length > 4 ? Integer.parseInt(w[4]) : Integer.MAX_VALUE);
                        send(device, w[1], Integer.parseInt(w[2]), w[3]);
                    }
                    case "allow" -> {
                        allowed.set(Integer.parseInt(w[1]));
                        System.out.println("ALLOWED " + w[1]);
                    }
                    case "abort" -> System.out.println("ABORTED " + w[1] + " " + device.link(w[1])
                            .map(l -> {
                                l.abort("aborted by the test");
                                return "yes";
                            }).orElse("none"));
                    case "count" -> System.out.println("COUNT " + w[1] + " " + count(w[1]));
                    case "report" -> report(w[1]);
                    case "stats" -> System.out.println("STATS " + device.stats());
                    case "quit" -> {
                        device.close();
                        System.out.println("BYE");
                        return;
                    }
                    default -> System.out.println("ERROR unknown command " + w[0]);
                }
            } catch (Exception e) {
                System.out.println("ERROR " + line + ": " + e);
            }
        }
        device.close();
    }

    private static void waitPeer(Device device, String jid, String externalIp) throws InterruptedException {
        while (true) {
            PeerInfo p = device.peer(jid).orElse(null);
            if (p != null && p.e2eKeys().isPresent() && p.externalEndpoint().isPresent()
                    && (externalIp == null || p.externalEndpoint().get().getAddress().getHostAddress().equals(externalIp))) {
                System.out.println("PEER " + jid + " ext=" + p.externalEndpoint().get() + " loc=" + p.localEndpoints());
                return;
            }
            Thread.sleep(50);
        }
    }

    /**
     * Sends in the background, never more than {@link #allowed} so far (so that a test can
     * cut the link at chosen points with stanzas in flight); prints SENT when every send
     * completed or failed.
     */
    private static void send(Device device, String to, int count, String tag) throws Exception {
        var peer = JidCreate.from(to);
        Thread t = new Thread(() -> {
            Semaphore window = new Semaphore(300);
            List<CompletableFuture<Delivery>> all = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    while (i >= allowed.get()) {
                        Thread.sleep(5);
                    }
                    window.acquire();
                    Message m = StanzaBuilder.buildMessage().to(peer).setBody(tag + ":" + i).build();
                    CompletableFuture<Delivery> f = device.send(m);
                    f.whenComplete((v, e) -> window.release());
                    all.add(f);
                }
                AtomicInteger ok = new AtomicInteger();
                AtomicInteger failed = new AtomicInteger();
                Map<DeliveryPath, AtomicInteger> paths = new ConcurrentHashMap<>();
                for (CompletableFuture<Delivery> f : all) {
                    try {
                        Delivery d = f.get(180, TimeUnit.SECONDS);
                        ok.incrementAndGet();
                        paths.computeIfAbsent(d.path(), k -> new AtomicInteger()).incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
                System.out.println("SENT " + tag + " ok=" + ok + " failed=" + failed + " paths=" + paths);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sender-" + tag);
        t.setDaemon(true);
        t.start();
    }

    private static int count(String tag) {
        synchronized (received) {
            return (int) received.stream().filter(g -> g.tag.equals(tag)).count();
        }
    }

    /** count, distinct, whether each path delivered in increasing order, and per-path counts. */
    private static void report(String tag) {
        synchronized (received) {
            Set<Integer> distinct = new HashSet<>();
            Map<DeliveryPath, Integer> last = new java.util.EnumMap<>(DeliveryPath.class);
            Map<DeliveryPath, Integer> perPath = new java.util.EnumMap<>(DeliveryPath.class);
            boolean ordered = true;
            int n = 0;
            for (Got g : received) {
                if (!g.tag.equals(tag)) {
                    continue;
                }
                n++;
                distinct.add(g.n);
                Integer before = last.put(g.path, g.n);
                ordered &= before == null || before < g.n;
                perPath.merge(g.path, 1, Integer::sum);
            }
            System.out.println("REPORT " + tag + " count=" + n + " distinct=" + distinct.size() + " ordered=" + ordered
                    + " direct=" + perPath.getOrDefault(DeliveryPath.DIRECT_LINK, 0)
                    + " broker=" + perPath.getOrDefault(DeliveryPath.BROKER, 0));
        }
    }
}
