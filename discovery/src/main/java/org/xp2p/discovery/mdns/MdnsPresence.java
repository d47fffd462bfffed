package org.xp2p.discovery.mdns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import javax.jmdns.impl.DNSOutgoing;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.discovery.PeerInfo;

/**
 * XEP-0174 link-local presence over one jmDNS responder bound to one explicit interface
 * address (IPv4 or IPv6): advertises our {@code _presence._tcp} instances and browses
 * other peers' into {@link PeerInfo} snapshots.
 *
 * <p>A peer is reported once its address and port are known; its TXT facts may follow as
 * an update (jmDNS cannot distinguish a TXT record not yet received from an empty one).
 *
 * <p>Threads: jmDNS runs its own threads and calls us on one of them; we never block
 * there. Resolving (which blocks) runs on the executor the owner passes in, and listener
 * events run on it too, serialised. The owner owns the executor; this class owns the
 * jmDNS responder and {@link #close()} stops it after sending the goodbyes.
 */
public final class MdnsPresence implements AutoCloseable {
    /** The XEP-0174 service type. */
    public static final String SERVICE_TYPE = "_presence._tcp.local.";
    /** How long one resolve waits for SRV, TXT and address records. */
    public static final long RESOLVE_TIMEOUT_MILLIS = 6000;
    /** How long {@link #advertise} listens for instances already using the name before probing. */
    public static final long CONFLICT_QUERY_MILLIS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(MdnsPresence.class);

    private final JmDNS jmdns;
    private final InetAddress address;
    private final Executor executor;
    private final Clock clock;
    private final List<Browser> browsers = new CopyOnWriteArrayList<>();
    private final List<Advertisement> advertisements = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private MdnsPresence(JmDNS jmdns, InetAddress address, Executor executor, Clock clock) {
        this.jmdns = jmdns;
        this.address = address;
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * Starts a responder on one interface address.
     *
     * @param bindAddress the interface address mDNS runs on; required: there is no "all
     *                    interfaces" default (tests must pass 127.0.0.1 or a namespace address)
     * @param hostName    our host name, announced as {@code hostName.local.}
     * @param executor    where resolves and listener events run; owned by the caller
     */
    public static MdnsPresence start(InetAddress bindAddress, String hostName, Executor executor) throws IOException {
        Objects.requireNonNull(bindAddress, "bindAddress: the interface address for mDNS is a required setting");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(executor, "executor");
        if (bindAddress.isAnyLocalAddress() || bindAddress.isMulticastAddress()) {
            throw new IllegalArgumentException(bindAddress.getHostAddress()
                    + " is not an interface address; bind mDNS to one address of one interface");
        }
        XepNameRegister.install();
        ClosedResponderTimers.install(); // no timer threads for tasks that start after close()
        JmDNS jmdns = JmDNS.create(bindAddress, hostName);
        LOG.info("mDNS responder on {} as {}", bindAddress.getHostAddress(), jmdns.getHostName());
        return new MdnsPresence(jmdns, bindAddress, executor, Clock.systemUTC());
    }

    /** The interface address this responder is bound to (and the one peers will see). */
    public InetAddress address() {
        return address;
    }

    /**
     * Announces {@code presence}. Names other responders already announced are skipped
     * before we probe (up to {@link #CONFLICT_QUERY_MILLIS} spent asking); jmDNS then probes
     * in the background, and a conflict answered there renames the instance the XEP way
     * ({@code -1}, {@code -2}). {@link Advertisement#awaitClaimed} waits for the name that won.
     */
    public Advertisement advertise(LinkLocalPresence presence) throws IOException {
        checkOpen();
        String name = freeName(presence.instance());
        ServiceInfo info = ServiceInfo.create(SERVICE_TYPE, name, presence.port(), 0, 0, presence.txtBytes());
        Advertisement ad = new Advertisement(this, info, presence.withInstance(name));
        advertisements.add(ad); // before our first announcement, which must not look like a peer
        try {
            jmdns.registerService(info);
        } catch (IOException | RuntimeException e) {
            advertisements.remove(ad);
            throw e;
        }
        if (!info.getName().equals(presence.instance())) {
            LOG.info("Instance name {} was taken; announced as {}", presence.instance(), info.getName());
        }
        return ad;
    }

    /**
     * The first of {@code name}, {@code name-1}, {@code name-2}... that no other responder
     * answers for. jmDNS's probing renames again (through {@link XepNameRegister}) if a
     * conflict appears later; asking first catches responders that do not answer probes.
     */
    private String freeName(String name) {
        Set<String> taken = new java.util.HashSet<>();
        for (ServiceInfo other : jmdns.list(SERVICE_TYPE, CONFLICT_QUERY_MILLIS)) {
            if (!ours(other)) {
                taken.add(key(other.getName()));
            }
        }
        String candidate = name;
        while (taken.contains(key(candidate))) {
            candidate = XepNameRegister.next(candidate);
        }
        return candidate;
    }

    void update(ServiceInfo info, LinkLocalPresence presence) {
        checkOpen();
        byte[] txt = presence.txtBytes();
        info.setText(txt);
        // jmDNS only marks the TXT for its next renewal (half a TTL away); RFC 6762 8.4 wants
        // the changed record announced now, so we send it ourselves.
        if (jmdns instanceof JmDNSImpl impl) {
            try {
                DNSOutgoing out = new DNSOutgoing(DNSConstants.FLAGS_QR_RESPONSE | DNSConstants.FLAGS_AA, true);
                out.addAnswer(new DNSRecord.Text(info.getQualifiedName(), DNSRecordClass.CLASS_IN, true,
                        DNSConstants.DNS_TTL, txt), 0);
                impl.send(out);
            } catch (IOException e) {
                LOG.warn("Announcing the new TXT record of {} failed ({}); peers see it at jmDNS's next renewal",
                        info.getName(), e.toString());
            }
        }
    }

    void withdraw(Advertisement ad, ServiceInfo info) {
        if (advertisements.remove(ad) && !closed) {
            jmdns.unregisterService(info); // sends the goodbye (TTL 0)
        }
    }

    /**
     * Starts browsing {@code _presence._tcp}; our own instances are ignored. Events go to
     * {@code listener} on the owner's executor, in order. Closing the result stops it.
     */
    public AutoCloseable browse(PresenceListener listener) {
        checkOpen();
        Browser browser = new Browser(Objects.requireNonNull(listener, "listener"));
        browsers.add(browser);
        jmdns.addServiceListener(SERVICE_TYPE, browser);
        return () -> {
            browsers.remove(browser);
            jmdns.removeServiceListener(SERVICE_TYPE, browser);
        };
    }

    /**
     * Asks the network for one instance now, blocking up to {@code timeoutMillis}: for a
     * peer that connects before our browser has seen its announcement. Empty when nobody
     * answers with an address. Call it off jmDNS's threads.
     */
    public java.util.Optional<PeerInfo> resolve(String instance, long timeoutMillis) {
        checkOpen();
        ServiceInfo info = jmdns.getServiceInfo(SERVICE_TYPE, instance, timeoutMillis);
        if (info == null || info.getInetAddresses().length == 0 || info.getPort() <= 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(toPeerInfo(Resolved.of(info), clock));
    }

    /** Sends the goodbyes for everything we advertised and stops the responder. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Browser b : browsers) {
            jmdns.removeServiceListener(SERVICE_TYPE, b);
        }
        browsers.clear();
        advertisements.clear();
        jmdns.unregisterAllServices();
        try {
            jmdns.close();
        } catch (IOException e) {
            LOG.warn("Closing the mDNS responder on {} failed: {}", address.getHostAddress(), e.toString());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this MdnsPresence is closed; start a new one");
        }
    }

    /**
     * Whether a resolved instance is one we advertise now: its live name (probing may
     * rename it after {@link #advertise} returned), on our host and port. The name alone
     * would hide the peer that defended a name we gave up; the host alone would hide other
     * users on this machine.
     */
    private boolean ours(ServiceInfo info) {
        String server = info.getServer();
        if (server == null || server.isEmpty() || !hostKey(server).equals(hostKey(jmdns.getHostName()))) {
            return false;
        }
        for (Advertisement ad : advertisements) {
            if (ad.port() == info.getPort() && key(ad.instance()).equals(key(info.getName()))) {
                return true;
            }
        }
        return false;
    }

    private static String hostKey(String host) {
        String h = key(host);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static String key(String instance) {
        return instance.toLowerCase(Locale.ROOT);
    }

    /** What jmDNS told us about one instance, copied on its thread so that it cannot change under us. */
    private record Resolved(String instance, String server, int port, List<InetAddress> addresses, byte[] txt) {
        static Resolved of(ServiceInfo info) {
            return new Resolved(info.getName(), info.getServer(), info.getPort(),
                    List.of(info.getInetAddresses()), info.getTextBytes());
        }
    }

    private PeerInfo toPeerInfo(Resolved r, Clock clock) {
        List<InetSocketAddress> endpoints = new ArrayList<>();
        for (InetAddress a : r.addresses()) {
            endpoints.add(new InetSocketAddress(scoped(a), r.port()));
        }
        PeerInfo.Builder b = PeerInfo.builder(r.instance(), PeerInfo.Source.MDNS, clock.instant())
                .linkLocalInstance(r.instance())
                .localEndpoints(endpoints);
        TxtRecord.decode(r.txt()).forEach(b::attribute);
        return b.build();
    }

    /**
     * An IPv6 link-local address is only usable with the interface it was seen on; jmDNS
     * gives it without one, so it gets our interface's scope (the only link we listen on).
     */
    private InetAddress scoped(InetAddress a) {
        if (!(a instanceof java.net.Inet6Address v6) || !v6.isLinkLocalAddress() || v6.getScopeId() != 0) {
            return a;
        }
        try {
            java.net.NetworkInterface nif = java.net.NetworkInterface.getByInetAddress(address);
            return nif == null ? a : java.net.Inet6Address.getByAddress(null, v6.getAddress(), nif);
        } catch (java.io.IOException e) {
            return a;
        }
    }

    /** One browse: jmDNS callbacks in, serialised listener events out. */
    private final class Browser implements ServiceListener {
        private final PresenceListener listener;
        private final SerialExecutor events;
        /** Touched only by tasks on {@link #events}. */
        private final Map<String, PeerInfo> known = new ConcurrentHashMap<>();

        Browser(PresenceListener listener) {
            this.listener = listener;
            this.events = new SerialExecutor(executor);
        }

        @Override
        public void serviceAdded(ServiceEvent event) {
            String name = event.getName();
            // serviceAdded carries no addresses; resolving blocks, so not on jmDNS's thread.
            offload(executor, () -> {
                if (!closed) {
                    jmdns.requestServiceInfo(SERVICE_TYPE, name, true, RESOLVE_TIMEOUT_MILLIS);
                }
            });
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            ServiceInfo info = event.getInfo();
            // jmDNS reports partial resolutions; an address and port are enough to report the
            // peer. jmDNS cannot tell "no TXT yet" from an empty TXT: a later TXT is an update.
            if (info == null || ours(info)) {
                return;
            }
            Resolved resolved = Resolved.of(info);
            offload(events, () -> resolved(resolved));
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            String name = event.getName();
            offload(events, () -> {
                if (known.remove(key(name)) != null) {
                    listener.peerRemoved(name);
                }
            });
        }

        private void resolved(Resolved r) {
            if (r.addresses().isEmpty() || r.port() <= 0) {
                LOG.debug("{} resolved without address or port yet", r.instance());
                return;
            }
            PeerInfo peer = toPeerInfo(r, clock);
            PeerInfo previous = known.get(key(r.instance()));
            if (previous != null && peer.attributes().isEmpty() && !previous.attributes().isEmpty()) {
                // jmDNS re-reports a service with its TXT missing while a record is refreshed;
                // keep the facts we had rather than flap to an empty record and back.
                PeerInfo.Builder kept = peer.toBuilder();
                previous.attributes().forEach(kept::attribute);
                peer = kept.build();
            }
            known.put(key(r.instance()), peer);
            if (previous == null) {
                listener.peerAdded(peer);
            } else if (!previous.localEndpoints().equals(peer.localEndpoints())
                    || !previous.attributes().equals(peer.attributes())) {
                listener.peerUpdated(peer);
            }
        }

        private void offload(Executor where, Runnable task) {
            try {
                where.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.debug("Executor refused an mDNS event (shutting down?): {}", e.toString());
            }
        }
    }
}
