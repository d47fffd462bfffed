package org.xp2p.samples.broadcast;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * POSTs accepted broadcasts to one HTTP webhook as a small JSON object. The JDK's
 * HttpClient owns the threads that send; {@link #post} does not block. Thread-safe.
 */
public final class WebhookPoster {
    private final URI uri;
    private final Duration timeout;
    private final HttpClient client;

    /** @param uri an http or https URL */
    public WebhookPoster(URI uri, Duration timeout) {
        Objects.requireNonNull(uri, "uri");
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("a webhook is an http or https URL, not " + uri);
        }
        this.uri = uri;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public URI uri() {
        return uri;
    }

    /**
     * @param receiver who verified it
     * @param via      the peer it came from (the origin itself, or a relay)
     * @return the HTTP status; fails when the webhook cannot be reached
     */
    public CompletableFuture<Integer> post(String receiver, String via, SignedBroadcast b) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json(receiver, via, b))).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    /** The posted document: {"origin", "sequence", "time", "text", "receiver", "via"}. */
    static String json(String receiver, String via, SignedBroadcast b) {
        return "{\"origin\":" + quote(b.origin()) + ",\"sequence\":" + b.sequence() + ",\"time\":"
                + quote(Instant.ofEpochMilli(b.timeMillis()).toString()) + ",\"text\":" + quote(b.text())
                + ",\"receiver\":" + quote(receiver) + ",\"via\":" + quote(via) + "}";
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
