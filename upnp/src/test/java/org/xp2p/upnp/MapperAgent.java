package org.xp2p.upnp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The device side of the integration tests, run in a child JVM inside the lan namespace (the test
 * JVM lives in the root namespace and must not send there). It drives a real {@link PortMapper}
 * and serves the mapped ports, taking one command per line on stdin and answering on stdout:
 * <pre>
 *   serve tcp|udp PORT                        -> "serving tcp PORT"
 *   map KEY TCP|UDP INTERNAL PREFERRED LIFETIME_S DESCRIPTION -> "status KEY ..."
 *   status KEY / close KEY                    -> "status KEY ..."
 *   exit                                      -> closes everything, prints "bye"
 * </pre>
 * Listener calls print "event KEY ..." lines. Arguments: local address, methods (comma list),
 * discovery timeout ms, check interval ms, retry interval ms.
 */
public final class MapperAgent {
    private final PrintStream out;
    private final Map<String, PortMapping> mappings = new HashMap<>();
    /** Listeners fire inside map(), before the handle is ours: they find the key by request. */
    private final Map<MappingRequest, String> keys = new java.util.concurrent.ConcurrentHashMap<>();
    private final PortMapper mapper;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    private MapperAgent(String[] args, PrintStream out) throws IOException {
        this.out = out;
        MappingMethod[] methods = Arrays.stream(args[1].split(",")).map(MappingMethod::valueOf)
                .toArray(MappingMethod[]::new);
        PortMapperSettings settings = PortMapperSettings.on(InetAddress.getByName(args[0]))
                .methods(methods)
                .discoveryTimeout(Duration.ofMillis(Long.parseLong(args[2])))
                .requestTimeout(Duration.ofMillis(Long.parseLong(args[2])))
                .checkInterval(Duration.ofMillis(Long.parseLong(args[3])))
                .retryInterval(Duration.ofMillis(Long.parseLong(args[4])))
                .build();
        mapper = new PortMapper(settings, scheduler);
        mapper.addListener((m, previous, current) -> say("event " + key(m) + " " + line(m, current)));
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        MapperAgent agent = new MapperAgent(args, out);
        agent.say("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (!agent.handle(line.trim().split(" "))) {
                break;
            }
        }
        agent.mapper.close();
        agent.scheduler.shutdownNow();
        agent.scheduler.awaitTermination(5, TimeUnit.SECONDS);
        agent.say("bye");
        System.exit(0);
    }

    private boolean handle(String[] w) throws IOException {
        switch (w[0]) {
            case "serve" -> {
                int port = Integer.parseInt(w[2]);
                if (w[1].equals("tcp")) {
                    serveTcp(port);
                } else {
                    serveUdp(port);
                }
                say("serving " + w[1] + " " + port);
            }
            case "map" -> {
                String desc = String.join(" ", Arrays.copyOfRange(w, 6, w.length));
                MappingRequest r = new MappingRequest(Protocol.valueOf(w[2]), Integer.parseInt(w[3]),
                        Integer.parseInt(w[4]), Duration.ofSeconds(Long.parseLong(w[5])), desc);
                keys.put(r, w[1]);
                long t0 = System.nanoTime();
                PortMapping m = mapper.map(r);
                mappings.put(w[1], m);
                say("status " + w[1] + " " + line(m, m.status()) + " took_ms=" + (System.nanoTime() - t0) / 1_000_000);
            }
            case "status" -> {
                PortMapping m = mappings.get(w[1]);
                say("status " + w[1] + " " + line(m, m.status()));
            }
            case "close" -> {
                PortMapping m = mappings.get(w[1]);
                m.close();
                say("status " + w[1] + " " + line(m, m.status()));
            }
            case "exit" -> {
                return false;
            }
            default -> say("error unknown command " + w[0]);
        }
        return true;
    }

    private String key(PortMapping m) {
        return keys.getOrDefault(m.request(), "unknown");
    }

    /** STATE METHOD EXTADDR EXTPORT LIFETIME_S EXPIRES_EPOCH_MS RENEWALS RESTORATIONS | problems */
    private static String line(PortMapping m, MappingStatus s) {
        Mapping c = s.current();
        return s.state() + " " + (c == null ? "- - - - -" : c.method() + " " + c.externalAddress().getHostAddress()
                + " " + c.externalPort() + " " + c.lifetime().getSeconds() + " " + c.expiresAt().toEpochMilli())
                + " " + m.renewals() + " " + m.restorations() + " | " + String.join(" ; ", s.problems());
    }

    private synchronized void say(String s) {
        out.println(s.replace('\n', ' '));
    }

    private void serveTcp(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(port));
        Thread t = new Thread(() -> {
            while (true) {
                try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
                    o.write(("hello from lan " + port + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return;
                }
            }
        }, "tcp-server-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void serveUdp(int port) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(port));
        Thread t = new Thread(() -> {
            byte[] buf = new byte[1500];
            while (true) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    byte[] reply = ("hello from lan " + port + "\n").getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }, "udp-server-" + port);
        t.setDaemon(true);
        t.start();
    }
}
