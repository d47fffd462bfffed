package org.xp2p.xmpp.linklocal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.discovery.mdns.PresenceListener;
import org.xp2p.xmpp.link.InboundAuthenticator;
import org.xp2p.xmpp.link.StreamErrorCondition;
import org.xp2p.xmpp.link.StreamFault;

/**
 * The peers the mDNS browser currently sees, by instance name, and the inbound check
 * built on them: a stream is accepted only from an address its claimed instance
 * advertised. Fed on the device's executor, read from link reader threads; thread-safe.
 */
final class LinkLocalPeers implements PresenceListener, InboundAuthenticator {
    private final Map<String, PeerInfo> peers = new ConcurrentHashMap<>();
    private final List<PresenceListener> listeners = new CopyOnWriteArrayList<>();
    private volatile java.util.function.Function<String, Optional<PeerInfo>> resolver = name -> Optional.empty();

    /** Asks mDNS directly for an instance the browser has not reported (yet); may block. */
    void resolver(java.util.function.Function<String, Optional<PeerInfo>> lookup) {
        this.resolver = lookup;
    }

    void addListener(PresenceListener listener) {
        listeners.add(listener);
    }

    Optional<PeerInfo> get(String instance) {
        return Optional.ofNullable(peers.get(key(instance)));
    }

    List<PeerInfo> all() {
        return List.copyOf(peers.values());
    }

    @Override
    public void peerAdded(PeerInfo peer) {
        peers.put(key(peer.jid()), peer);
        listeners.forEach(l -> l.peerAdded(peer));
    }

    @Override
    public void peerUpdated(PeerInfo peer) {
        peers.put(key(peer.jid()), peer);
        listeners.forEach(l -> l.peerUpdated(peer));
    }

    @Override
    public void peerRemoved(String instance) {
        peers.remove(key(instance));
        listeners.forEach(l -> l.peerRemoved(instance));
    }

    @Override
    public String authenticate(String claimed, InetAddress source) throws StreamFault {
        if (claimed != null) {
            PeerInfo peer = peers.get(key(claimed));
            if (peer == null && !claimed.equals(source.getHostAddress())) {
                // it may have connected before its announcement reached our browser
                peer = resolver.apply(claimed).orElse(null);
            }
            if (peer == null) {
                // iChat put its IP address in from: fall back to the address when it is one
                if (claimed.equals(source.getHostAddress())) {
                    return byAddress(source, claimed);
                }
                throw new StreamFault(StreamErrorCondition.INVALID_FROM, "no instance " + claimed
                        + " is advertised on this network");
            }
            if (!advertises(peer, source)) {
                throw new StreamFault(StreamErrorCondition.INVALID_FROM, claimed + " did not advertise "
                        + source.getHostAddress());
            }
            return peer.jid();
        }
        return byAddress(source, "(none)");
    }

    private String byAddress(InetAddress source, String claimed) throws StreamFault {
        List<String> candidates = new ArrayList<>();
        for (PeerInfo p : peers.values()) {
            if (advertises(p, source)) {
                candidates.add(p.jid());
            }
        }
        if (candidates.size() != 1) {
            throw new StreamFault(StreamErrorCondition.INVALID_FROM, "from=" + claimed + " and " + candidates.size()
                    + " instances advertise " + source.getHostAddress() + ": cannot tell who this is");
        }
        return candidates.get(0);
    }

    static boolean advertises(PeerInfo peer, InetAddress source) {
        for (InetSocketAddress e : peer.localEndpoints()) {
            if (source.equals(e.getAddress())) {
                return true;
            }
        }
        return false;
    }

    static String key(String instance) {
        return instance.toLowerCase(Locale.ROOT);
    }
}
