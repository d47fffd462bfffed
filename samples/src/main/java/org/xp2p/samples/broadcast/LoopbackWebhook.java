package org.xp2p.samples.broadcast;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A webhook receiver on 127.0.0.1 (the JDK's HTTP server) for the sample and its test:
 * records every POST body by path, answers 204, and hands each one to a listener. The
 * server owns its dispatcher thread, on which the listener runs; {@link #close()} stops it.
 * Thread-safe.
 */
public final class LoopbackWebhook implements AutoCloseable {
    /** One POST received. */
    public record Request(String path, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();

    /** @param listener sees each POST as it arrives */
    public LoopbackWebhook(Consumer<Request> listener) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                boolean post = "POST".equals(exchange.getRequestMethod());
                if (post) {
                    Request r = new Request(exchange.getRequestURI().getPath(), body);
                    synchronized (this) {
                        requests.add(r);
                    }
                    listener.accept(r);
                }
                exchange.sendResponseHeaders(post ? 204 : 405, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The URL of {@code path} on this receiver. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The bodies posted to {@code path} that contain {@code fragment}. */
    public synchronized List<String> posted(String path, String fragment) {
        return requests.stream().filter(r -> r.path().equals(path) && r.body().contains(fragment)).map(Request::body)
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
