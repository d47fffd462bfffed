package org.xp2p.xmpp.link;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A hand-driven TCP peer for wire tests: writes exactly the bytes a test gives it (from a
 * chosen source address) and reads what the other side answers. Used by one test thread.
 */
final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean eof;
    private boolean reset;

    RawPeer(String sourceAddress, InetSocketAddress target) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
        socket.connect(target, 5000);
        socket.setTcpNoDelay(true);
    }

    RawPeer write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    RawPeer write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads until the received text contains {@code marker}; the bound only guards against hangs. */
    String readUntil(String marker, Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!text().contains(marker)) {
            if (eof) {
                throw new AssertionError("connection closed before '" + marker + "'; got: " + text());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + marker + "' within " + bound + "; got: " + text());
            }
            readSome();
        }
        return text();
    }

    /** Reads until the other side closes TCP. */
    String readToEof(Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!eof) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("connection still open after " + bound + "; got: " + text());
            }
            readSome();
        }
        return text();
    }

    private void readSome() throws IOException {
        socket.setSoTimeout(200);
        byte[] buf = new byte[4096];
        try {
            InputStream in = socket.getInputStream();
            int n = in.read(buf);
            if (n < 0) {
                eof = true;
            } else {
                received.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // poll again
        } catch (IOException e) {
            eof = true; // reset by peer counts as closed
            reset = true;
        }
    }

    /** Whether the other side reset the connection (RST) rather than closing it (FIN). */
    boolean resetByPeer() {
        return reset;
    }

    String text() {
        return received.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
