package org.xp2p.xmpp.device;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A hand-written TCP client for direct-link wire tests: connects from a chosen source
 * address, writes exactly the bytes the test gives, collects what comes back. One thread.
 */
final class RawStream implements AutoCloseable {
    private final Socket socket = new Socket();
    private final ByteArrayOutputStream in = new ByteArrayOutputStream();
    private boolean eof;

    RawStream(String source, InetSocketAddress target) throws IOException {
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(target, 5000);
        socket.setSoTimeout(200);
    }

    RawStream header(String from, String to) throws IOException {
        return write("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " from='" + from + "' to='" + to + "' version='1.0'>");
    }

    RawStream write(String xml) throws IOException {
        socket.getOutputStream().write(xml.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return this;
    }

    String text() {
        return in.toString(StandardCharsets.UTF_8);
    }

    boolean closedByPeer() {
        return eof;
    }

    /** Reads until {@code marker} appears or the peer closes; bounded against hangs. */
    String readUntil(String marker, long seconds) throws IOException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        byte[] buf = new byte[4096];
        InputStream s = socket.getInputStream();
        while (!text().contains(marker) && !eof && System.nanoTime() < deadline) {
            try {
                int n = s.read(buf);
                if (n < 0) {
                    eof = true;
                } else {
                    in.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // poll again
            } catch (IOException e) {
                eof = true;
            }
        }
        return text();
    }

    /** Reads until the peer closes TCP (or the bound passes); returns everything read. */
    String readToEnd(long seconds) throws IOException {
        return readUntil("\u0000never", seconds);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
