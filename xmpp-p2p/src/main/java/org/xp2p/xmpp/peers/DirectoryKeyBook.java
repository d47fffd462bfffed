package org.xp2p.xmpp.peers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.PeerKeyBook;
import org.xp2p.e2e.PeerKeys;

/**
 * The e2e module's {@link PeerKeyBook} (which keeps each peer's keys across rotations),
 * fed from the {@link PeerDirectory}: a peer's merged {@code <e2e/>} updates its keys, a
 * merged view without one, or a peer's removal, forgets them. Looked up by the full JID
 * strings routing uses. Thread-safe; updated on the directory's listener thread, read by
 * any thread.
 */
public final class DirectoryKeyBook implements PeerDirectory.Listener {
    private final PeerKeyBook book;
    /** The parsed JID of each peer the directory told us of; only those can have keys. */
    private final Map<String, Jid> jids = new ConcurrentHashMap<>();

    public DirectoryKeyBook(E2eEndpoint endpoint) {
        this.book = new PeerKeyBook(endpoint.policy());
    }

    /** The keys to encrypt for and verify {@code jid} (a full JID) with now. */
    public PeerKeys keysOf(String jid) {
        Jid parsed = jids.get(jid);
        return parsed == null ? PeerKeys.none() : book.keys(parsed);
    }

    @Override
    public void peerChanged(PeerInfo merged) {
        Jid jid = jids.computeIfAbsent(merged.jid(), DirectoryKeyBook::parse);
        if (jid == null) {
            return; // the directory holds only peers we could address; nothing to key
        }
        merged.e2eKeys().ifPresentOrElse(e2e -> book.update(jid, e2e), () -> book.forget(jid));
    }

    @Override
    public void peerRemoved(String jid) {
        Jid parsed = jids.remove(jid);
        if (parsed != null) {
            book.forget(parsed);
        }
    }

    private static Jid parse(String jid) {
        try {
            return JidCreate.from(jid);
        } catch (XmppStringprepException | IllegalArgumentException e) {
            return null;
        }
    }
}
