package org.xp2p.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * One {@link ReplayWindow} per peer key, for as many peer keys as a device plausibly
 * talks to; the least recently used window is forgotten beyond that. Forgetting a window
 * re-opens replays of that key's old stanzas, so the bound is generous. Thread-safe.
 */
final class ReplayGuard {
    static final int MAX_PEER_KEYS = 10_000;

    private final int windowSize;
    private volatile Latest latest;
    private final Map<PublishedKey, ReplayWindow> windows = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PublishedKey, ReplayWindow> eldest) {
            return size() > MAX_PEER_KEYS;
        }
    };

    ReplayGuard(int windowSize) {
        this.windowSize = windowSize;
    }

    ReplayWindow window(PublishedKey peerKey) {
        // Stanzas come in runs from one peer key, the same object each time: skip the hash of
        // the whole key and the lock. Skipping the map's touch for a run changes no order, as
        // the key already is the most recent one; a window the map has meanwhile forgotten
        // still holds the counters it saw, which only refuses more.
        Latest latest = this.latest;
        if (latest != null && latest.peerKey() == peerKey) {
            return latest.window();
        }
        ReplayWindow window;
        synchronized (windows) {
            window = windows.computeIfAbsent(peerKey, k -> new ReplayWindow(windowSize));
        }
        this.latest = new Latest(peerKey, window);
        return window;
    }

    private record Latest(PublishedKey peerKey, ReplayWindow window) {
    }
}
