package org.xp2p.upnp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A gateway we wrote to misbehave, run as a child JVM in the gw namespace of a test router
 * (never on a real network). Modes:
 * <ul>
 * <li>{@code garbage}: port 5351 answers every request with nonsense (random bytes, wrong opcode,
 *     truncated PCP); SSDP leads to a description whose control URL answers HTTP 200 with non-XML.</li>
 * <li>{@code hang}: like garbage, but the control URL accepts the request and never answers.</li>
 * <li>{@code xxe}: like garbage, but the control URL answers SOAP with an external entity that
 *     points back at this fake (prints "LEAK" if anyone fetches it).</li>
 * <li>{@code cgnat}: a correct NAT-PMP-only gateway (PCP gets "unsupported version") whose own
 *     external address is carrier-grade NAT space, 100.64.0.7.</li>
 * </ul>
 * Arguments: mode, the gw's LAN address, the gw's LAN interface name.
 */
public final class FakeGateway {
    static final String CGNAT_EXTERNAL = "100.64.0.7";

    private final String mode;
    private final long started = System.nanoTime();
    private int garbageTurn;

    private FakeGateway(String mode) {
        this.mode = mode;
    }

    public static void main(String[] args) throws Exception {
        FakeGateway g = new FakeGateway(args[0]);
        InetAddress address = InetAddress.getByName(args[1]);
        NetworkInterface nif = NetworkInterface.getByName(args[2]);
        DatagramSocket pmp = new DatagramSocket(new InetSocketAddress(address, GatewayDatagrams.SERVER_PORT));
        thread("pmp", () -> g.servePmp(pmp));
        if (!g.mode.equals("cgnat")) {
            HttpServer http = HttpServer.create(new InetSocketAddress(address, 5000), 16);
            http.setExecutor(Executors.newCachedThreadPool());
            http.createContext("/desc.xml", ex -> {
                byte[] body = description().getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            });
            http.createContext("/leak", ex -> {
                // Reached only by a parser that follows external entities: the test looks for this line.
                System.out.println("LEAK: external entity fetched");
                byte[] body = "leaked".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            });
            http.createContext("/ctl", ex -> {
                ex.getRequestBody().readAllBytes();
                if (g.mode.equals("hang")) {
                    sleepForever();
                }
                byte[] body = (g.mode.equals("xxe") ? xxeAnswer(address) : "this is not SOAP <<<")
                        .getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            });
            http.start();
            MulticastSocket ssdp = new MulticastSocket(1900);
            ssdp.joinGroup(SsdpSearch.SSDP_GROUP, nif);
            thread("ssdp", () -> serveSsdp(ssdp, address));
        }
        System.out.println("fake gateway ready: " + g.mode);
        sleepForever();
    }

    private void servePmp(DatagramSocket socket) {
        byte[] buf = new byte[1100];
        while (true) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                byte[] reply = mode.equals("cgnat") ? natPmpOnly(buf, p.getLength()) : garbage(buf);
                socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    private byte[] garbage(byte[] request) {
        int turn = garbageTurn++ % 3;
        if (turn == 0) {
            return new byte[] {7, 7, 7, 7, 7, 7, 7};
        }
        if (turn == 1) {
            // Looks like NAT-PMP, answers an opcode nobody asked for.
            return new byte[] {0, (byte) 0x99, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 0, 0, 0, 0};
        }
        byte[] truncatedPcp = new byte[10];
        truncatedPcp[0] = 2;
        truncatedPcp[1] = (byte) (0x80 | (request[1] & 0x7f));
        return truncatedPcp;
    }

    /** RFC 6886 done right, RFC 6887 refused as a NAT-PMP server must (version 0, result 1). */
    private byte[] natPmpOnly(byte[] req, int length) throws IOException {
        int seconds = (int) ((System.nanoTime() - started) / 1_000_000_000L);
        if (req[0] != 0) {
            return ByteBuffer.allocate(8).put((byte) 0).put((byte) (128 + (req[1] & 0x7f))).putShort((short) 1)
                    .putInt(seconds).array();
        }
        int opcode = req[1];
        if (opcode == 0) {
            return ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) 0).putInt(seconds)
                    .put(InetAddress.getByName(CGNAT_EXTERNAL).getAddress()).array();
        }
        ByteBuffer r = ByteBuffer.wrap(req, 0, length);
        r.position(4);
        short internal = r.getShort();
        short suggested = r.getShort();
        int lifetime = r.getInt();
        return ByteBuffer.allocate(16).put((byte) 0).put((byte) (128 + opcode)).putShort((short) 0).putInt(seconds)
                .putShort(internal).putShort(lifetime == 0 ? 0 : suggested).putInt(lifetime).array();
    }

    private static void serveSsdp(MulticastSocket socket, InetAddress address) {
        byte[] buf = new byte[2048];
        while (true) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                String text = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
                if (!text.startsWith("M-SEARCH")) {
                    continue;
                }
                String reply = "HTTP/1.1 200 OK\r\n"
                        + "CACHE-CONTROL: max-age=120\r\n"
                        + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                        + "USN: uuid:fake::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                        + "EXT:\r\n"
                        + "SERVER: fake/1 UPnP/1.1 fake/1\r\n"
                        + "LOCATION: http://" + address.getHostAddress() + ":5000/desc.xml\r\n"
                        + "\r\n";
                byte[] b = reply.getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(b, b.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** A SOAP answer whose external entity points back at us: a safe parser never fetches it. */
    private static String xxeAnswer(InetAddress address) {
        return "<?xml version=\"1.0\"?><!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"http://"
                + address.getHostAddress() + ":5000/leak\">]>"
                + "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                + "<u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">"
                + "<NewExternalIPAddress>&x;</NewExternalIPAddress></u:GetExternalIPAddressResponse>"
                + "</s:Body></s:Envelope>";
    }

    private static String description() {
        return "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device>"
                + "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>"
                + "<friendlyName>fake</friendlyName><deviceList><device>"
                + "<deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><serviceList><service>"
                + "<serviceType>urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1</serviceType>"
                + "<serviceId>urn:upnp-org:serviceId:WANCommonIFC1</serviceId><SCPDURL>/cif.xml</SCPDURL>"
                + "<controlURL>/cifctl</controlURL><eventSubURL>/cifevt</eventSubURL>"
                + "</service></serviceList><deviceList><device>"
                + "<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType><serviceList><service>"
                + "<serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>"
                + "<serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId><SCPDURL>/scpd.xml</SCPDURL>"
                + "<controlURL>/ctl</controlURL><eventSubURL>/evt</eventSubURL>"
                + "</service></serviceList></device></deviceList></device></deviceList></device></root>";
    }

    private static void thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void sleepForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
