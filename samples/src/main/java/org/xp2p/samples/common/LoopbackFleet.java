package org.xp2p.samples.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eMode;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.xmpp.StanzaHandler;
import org.xp2p.xmpp.linklocal.LinkLocalDevice;
import org.xp2p.xmpp.secure.E2eStanzaProtector;

/**
 * A few secured serverless devices on 127.0.0.1, as the samples use them: each has its
 * own Ed25519 identity key, requires end-to-end encryption (REQUIRE_E2E) and allows only
 * the identity keys of its declared contacts. {@link Builder#start()} returns once every
 * device sees each of its contacts announced over mDNS, so the first send does not race
 * the announcements.
 *
 * <p>Instance names are {@code name@machine}, the machine part unique to this process and
 * fleet, so that concurrent runs on one host do not answer for each other. Not
 * thread-safe while building; afterwards the getters are. The devices own their threads;
 * {@link #close()} closes every device still running.
 */
public final class LoopbackFleet implements AutoCloseable {
    /** How long starting waits for the devices to see their contacts. */
    public static final Duration ANNOUNCE_BOUND = Duration.ofSeconds(20);
    private static final AtomicInteger FLEETS = new AtomicInteger();

    private final String machine;
    private final Map<String, IdentityKey> identities;
    private final Map<String, LinkLocalDevice> devices = new LinkedHashMap<>();
    private final Map<String, SeenPeers> seen = new LinkedHashMap<>();

    private LoopbackFleet(String machine, Map<String, IdentityKey> identities) {
        this.machine = machine;
        this.identities = identities;
    }

    /** @param sample a short name for the machine part of the instances ("groups") */
    public static Builder builder(String sample) {
        return new Builder(sample);
    }

    /** The instance name a device of that name has (or would have, had it been started) in this fleet. */
    public synchronized String instanceOf(String name) {
        LinkLocalDevice d = devices.get(name);
        return d != null ? d.instance() : name + "@" + machine;
    }

    public synchronized LinkLocalDevice device(String name) {
        LinkLocalDevice d = devices.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no device named " + name + " runs in this fleet; running: "
                    + devices.keySet());
        }
        return d;
    }

    public IdentityKey identity(String name) {
        return Objects.requireNonNull(identities.get(name), () -> "no device named " + name);
    }

    /**
     * Takes one device off the network (it says goodbye) and waits until {@code observer}
     * has seen it leave, so that the next send to it fails for certain.
     */
    public void stop(String name, String observer) throws InterruptedException {
        LinkLocalDevice d;
        SeenPeers observerSees;
        synchronized (this) {
            d = device(name);
            observerSees = Objects.requireNonNull(seen.get(observer), () -> "no device named " + observer);
            devices.remove(name);
        }
        String instance = d.instance();
        d.close();
        observerSees.await(List.of(instance), false, ANNOUNCE_BOUND);
    }

    @Override
    public synchronized void close() {
        // in parallel: each close waits up to the link close timeout for its peers
        List<Thread> closing = new ArrayList<>();
        for (LinkLocalDevice d : devices.values()) {
            Thread t = new Thread(d::close, "close-" + d.instance());
            t.setDaemon(true);
            t.start();
            closing.add(t);
        }
        for (Thread t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        devices.clear();
    }

    /** Declares devices and who talks to whom; {@link #start()} starts them. */
    public static final class Builder {
        private final String machine;
        private final SecureRandom random = new SecureRandom();
        private final Map<String, IdentityKey> identities = new LinkedHashMap<>();
        private final Map<String, StanzaHandler> handlers = new LinkedHashMap<>();
        private final Map<String, Set<String>> contacts = new LinkedHashMap<>();

        private Builder(String sample) {
            if (!sample.matches("[a-z][a-z0-9-]{0,20}")) {
                throw new IllegalArgumentException("sample name " + sample + " is not 1-21 of a-z, 0-9, '-'");
            }
            this.machine = sample + "-" + ProcessHandle.current().pid() + "-" + FLEETS.incrementAndGet();
        }

        /** A device with a fresh identity key. */
        public Builder device(String name, StanzaHandler handler) {
            return device(name, IdentityKey.generate(random), handler);
        }

        public Builder device(String name, IdentityKey identity, StanzaHandler handler) {
            if (!name.matches("[a-z0-9][a-z0-9-]*")) {
                throw new IllegalArgumentException("device name " + name + " is not a-z, 0-9 and '-'");
            }
            if (identities.putIfAbsent(name, Objects.requireNonNull(identity, "identity")) != null) {
                throw new IllegalArgumentException("device " + name + " is declared twice");
            }
            handlers.put(name, Objects.requireNonNull(handler, "handler"));
            contacts.put(name, new LinkedHashSet<>());
            return this;
        }

        /** The identity key of a declared device, e.g. to pin it elsewhere before starting. */
        public IdentityKey identity(String name) {
            return Objects.requireNonNull(identities.get(name), () -> "no device named " + name + " is declared");
        }

        public synchronized String instanceOf(String name) {
            return name + "@" + machine;
        }

        /** {@code a} and each of {@code others} allow each other's identity keys. */
        public Builder contacts(String a, String... others) {
            for (String b : others) {
                requireDeclared(a);
                requireDeclared(b);
                contacts.get(a).add(b);
                contacts.get(b).add(a);
            }
            return this;
        }

        private void requireDeclared(String name) {
            if (!identities.containsKey(name)) {
                throw new IllegalArgumentException("declare device " + name + " before naming it as a contact");
            }
        }

        /** Starts every device and waits until each sees its contacts. */
        public LoopbackFleet start() throws InterruptedException {
            LoopbackFleet fleet = new LoopbackFleet(machine, Map.copyOf(identities));
            ExecutorService starters = Executors.newFixedThreadPool(identities.size());
            try {
                InetAddress loopback = InetAddress.getByName("127.0.0.1");
                // in parallel: each start blocks while mDNS probes and announces (a second or more)
                List<Future<?>> starts = new ArrayList<>();
                for (String name : identities.keySet()) {
                    starts.add(starters.submit(() -> {
                        SeenPeers sees = new SeenPeers();
                        List<byte[]> allowed = contacts.get(name).stream().map(c -> identities.get(c).publicKey()).toList();
                        LinkLocalDevice d = LinkLocalDevice.builder(instanceOf(name), loopback)
                                .handler(handlers.get(name)).presenceListener(sees)
                                .protector(secured(identities.get(name), allowed)).start();
                        synchronized (fleet) {
                            fleet.devices.put(name, d);
                            fleet.seen.put(name, sees);
                        }
                        return null;
                    }));
                }
                Throwable failure = null;
                for (Future<?> f : starts) { // all of them, so that none is still starting when we close
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        failure = failure == null ? e.getCause() : failure;
                    }
                }
                if (failure instanceof IOException io) {
                    throw io;
                } else if (failure != null) {
                    throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                }
                for (Map.Entry<String, Set<String>> e : contacts.entrySet()) {
                    List<String> wanted = e.getValue().stream().map(fleet::instanceOf).toList();
                    fleet.seen.get(e.getKey()).await(wanted, true, ANNOUNCE_BOUND);
                }
                return fleet;
            } catch (IOException e) {
                fleet.close();
                throw new UncheckedIOException("cannot start the sample's devices on 127.0.0.1: " + e.getMessage(), e);
            } catch (RuntimeException | InterruptedException e) {
                fleet.close();
                throw e;
            } finally {
                starters.shutdownNow();
            }
        }

        private E2eStanzaProtector secured(IdentityKey identity, List<byte[]> allowed) {
            E2ePolicy policy = E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E);
            E2eEndpoint endpoint = new E2eEndpoint(
                    new LocalKeyRing(EnumSet.of(KeyType.ED25519, KeyType.P256), 128, random), policy, random);
            return new E2eStanzaProtector(endpoint, identity, allowed);
        }
    }
}
