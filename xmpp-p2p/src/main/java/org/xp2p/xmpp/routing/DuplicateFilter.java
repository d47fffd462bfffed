package org.xp2p.xmpp.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the last {@code capacity} stanza keys seen (sender's bare JID and stanza id), so
 * that a stanza retransmitted over the broker after its direct link died is delivered once.
 * For iq requests it also keeps the response, to answer the retransmission the same way.
 * Thread-safe (one lock; it is only touched on the inbound path).
 */
public final class DuplicateFilter<V> {
    private final Map<String, V> seen;

    public DuplicateFilter(int capacity) {
        this.seen = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    static String key(String senderBareJid, String id) {
        return senderBareJid + "\u0000" + id;
    }

    /** Records the key; returns false when it was already there (a duplicate). */
    public synchronized boolean firstTime(String senderBareJid, String id, V value) {
        String k = key(senderBareJid, id);
        if (seen.containsKey(k)) {
            return false;
        }
        seen.put(k, value);
        return true;
    }

    /** What was stored with the key (e.g. the response already sent). */
    public synchronized V value(String senderBareJid, String id) {
        return seen.get(key(senderBareJid, id));
    }

    public synchronized void update(String senderBareJid, String id, V value) {
        String k = key(senderBareJid, id);
        if (seen.containsKey(k)) {
            seen.put(k, value);
        }
    }
}
