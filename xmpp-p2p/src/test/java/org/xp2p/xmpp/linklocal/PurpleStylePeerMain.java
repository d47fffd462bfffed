package org.xp2p.xmpp.linklocal;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A child-JVM stand-in for a libpurple (Pidgin/Finch Bonjour) peer, written from its known
 * wire habits, not from its code: it answers a stream header with its own header carrying
 * no version and sends no features, and opens streams the same way (no version, from and
 * to only). It prints what it receives ({@code RECEIVED <bytes>}) and obeys
 * {@code connect HOST PORT FROM TO} and {@code say XML} on stdin.
 *
 * <p>Arguments: {@code ADDRESS PORT INSTANCE}.
 */
public final class PurpleStylePeerMain {
    private static volatile OutputStream current;

    private PurpleStylePeerMain() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress address = InetAddress.getByName(args[0]);
        String instance = args[2];
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(address, Integer.parseInt(args[1])));
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket s = server.accept();
                    current = s.getOutputStream();
                    Thread t = new Thread(() -> serve(s, instance, true));
                    t.setDaemon(true);
                    t.start();
                }
            } catch (Exception e) {
                System.out.println("ACCEPT_ENDED " + e);
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.split(" ", 2);
            switch (w[0]) {
                case "connect" -> {
                    String[] a = w[1].split(" ");
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress(address, 0));
                    s.connect(new InetSocketAddress(a[0], Integer.parseInt(a[1])));
                    current = s.getOutputStream();
                    current.write(("<?xml version='1.0' encoding='UTF-8' ?>\n<stream:stream xmlns='jabber:client' "
                            + "xmlns:stream='http://etherx.jabber.org/streams' from='" + a[2] + "' to='" + a[3] + "'>")
                            .getBytes(StandardCharsets.UTF_8));
                    current.flush();
                    Thread t = new Thread(() -> serve(s, instance, false));
                    t.setDaemon(true);
                    t.start();
                    System.out.println("CONNECTED");
                }
                case "say" -> {
                    current.write(w[1].getBytes(StandardCharsets.UTF_8));
                    current.flush();
                    System.out.println("SAID");
                }
                default -> System.out.println("UNKNOWN " + line);
            }
        }
    }

    private static void serve(Socket s, String instance, boolean responder) {
        try (s) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            boolean answered = !responder;
            int n;
            while ((n = in.read(buf)) > 0) {
                String text = new String(buf, 0, n, StandardCharsets.UTF_8);
                System.out.println("RECEIVED " + text.replace("\n", " "));
                if (!answered && text.contains("<stream:stream")) {
                    s.getOutputStream().write(("<?xml version='1.0' encoding='UTF-8' ?>\n<stream:stream "
                            + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='" + instance
                            + "'>").getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                    answered = true;
                }
            }
            System.out.println("CLOSED");
        } catch (Exception e) {
            System.out.println("CLOSED " + e);
        }
    }
}
