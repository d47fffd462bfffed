package org.xp2p.upnp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One port the {@link PortMapper} keeps mapped: its life from first mapping through renewals,
 * restorations after a gateway forgot it, to deletion on {@link #close()}.
 *
 * <p>Threads: all work happens under this object's lock, either on the thread calling
 * {@link PortMapper#map}/{@link #close()} or on the caller's scheduler, where it schedules its own
 * renewal, check and retry tasks (cancelled on close). {@link #status()} never waits for that lock.
 */
public final class PortMapping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortMapping.class);
    /** Never renew more often than this, whatever lifetime a gateway grants. */
    static final long MIN_RENEW_MILLIS = 1000;

    private final PortMapper owner;
    private final MappingRequest request;
    private final ScheduledExecutorService scheduler;
    private final EpochTracker epoch = new EpochTracker();
    private volatile MappingStatus status;
    private volatile int renewals;
    private volatile int restorations;
    private boolean everMapped;
    private GatewayClient client;
    private ScheduledFuture<?> renewal;
    private ScheduledFuture<?> check;
    private ScheduledFuture<?> retry;
    private boolean closed;

    PortMapping(PortMapper owner, MappingRequest request, ScheduledExecutorService scheduler) {
        this.owner = owner;
        this.request = request;
        this.scheduler = scheduler;
    }

    public MappingRequest request() {
        return request;
    }

    public MappingStatus status() {
        return status;
    }

    /** How many times the mapping was renewed before expiry. */
    public int renewals() {
        return renewals;
    }

    /** How many times it was made again after the gateway lost it (restart, expiry, refusal). */
    public int restorations() {
        return restorations;
    }

    /**
     * Renews now rather than on schedule (say, after the device's network changed), or tries to map
     * again now if there is no mapping. Blocks like {@link PortMapper#map}; returns the new status.
     */
    public MappingStatus renewNow() {
        synchronized (this) {
            if (!closed) {
                if (status.current() != null) {
                    renew();
                } else {
                    retry();
                }
            }
            return status;
        }
    }

    synchronized void start() {
        establish(List.of());
    }

    /** Stops renewing and deletes the mapping on the gateway. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            cancelTimers();
            List<String> problems = new ArrayList<>();
            MappingStatus s = status;
            if (s != null && s.current() != null && client != null) {
                try {
                    client.unmap(request, s.current());
                } catch (GatewayException | RuntimeException e) {
                    LOG.warn("could not delete {}: {}", s.current(), e.getMessage());
                    problems.add(s.current().method() + ": delete failed, the gateway drops it on expiry: "
                            + e.getMessage());
                }
            }
            update(new MappingStatus(MappingState.CLOSED, null, problems, Instant.now()));
        }
        owner.forget(this);
    }

    /** Tries every method in order; the first that maps wins. Lock held. */
    private void establish(List<String> earlier) {
        cancelTimers();
        List<String> problems = new ArrayList<>(earlier);
        boolean someoneAnswered = false;
        boolean pcpSilent = false;
        for (MappingMethod method : owner.settings().methods()) {
            if (method == MappingMethod.NAT_PMP && pcpSilent) {
                // Same server, same port: a NAT-PMP server answers a PCP request with "unsupported
                // version" (RFC 6887 section 9), so silence there means no NAT-PMP either. Skipping
                // saves a whole timeout when there is no gateway.
                problems.add(method + ": skipped, nothing answered PCP on the same server port");
                continue;
            }
            try {
                GatewayClient c = owner.client(method);
                GatewayClient.Grant g = c.map(request, 0);
                client = c;
                epoch.reset();
                observeEpoch(g.epochSeconds());
                mapped(g.mapping(), problems);
                return;
            } catch (NoGatewayException e) {
                pcpSilent |= method == MappingMethod.PCP;
                problems.add(problem(method, e));
            } catch (GatewayException e) {
                someoneAnswered = true;
                problems.add(problem(method, e));
            } catch (RuntimeException e) {
                // A bug or a library surprise must not kill the scheduler's task: report it like a failure.
                someoneAnswered = true;
                problems.add(method + ": " + e);
                LOG.warn("{} failed unexpectedly", method, e);
            }
        }
        client = null;
        update(new MappingStatus(someoneAnswered ? MappingState.FAILED : MappingState.NO_GATEWAY, null, problems,
                Instant.now()));
        LOG.info("port {} {} not mapped: {}", request.internalPort(), request.protocol(), problems);
        retry = schedule(this::retry, owner.settings().retryInterval().toMillis());
    }

    /** "METHOD: what happened", without the protocol name the exception message starts with. */
    private static String problem(MappingMethod method, GatewayException e) {
        return method + ": " + String.valueOf(e.getMessage()).replaceFirst("^(PCP|NAT-PMP|UPnP):? ", "");
    }

    private void retry() {
        synchronized (this) {
            if (closed) {
                return;
            }
            boolean lostEarlier = everMapped;
            establish(List.of());
            if (lostEarlier && status.state().mapped()) {
                restorations++;
            }
        }
    }

    private void renew() {
        synchronized (this) {
            Mapping current = status.current();
            if (closed || current == null) {
                return;
            }
            try {
                GatewayClient.Grant g = client.map(request, current.externalPort());
                if (observeEpoch(g.epochSeconds())) {
                    LOG.info("gateway {} restarted; the renewal made the mapping again", current.gateway());
                    restorations++;
                }
                renewals++;
                mapped(g.mapping(), List.of());
            } catch (GatewayRefusedException e) {
                // It refuses what it granted before: it forgot us, or someone else holds the port now.
                LOG.info("renewal of {} refused ({}); mapping again", current, e.getMessage());
                establish(List.of(current.method() + ": renewal refused: " + e.getMessage()));
                countRestoration();
            } catch (GatewayException | RuntimeException e) {
                long left = Duration.between(Instant.now(), current.expiresAt()).toMillis();
                long wait = Math.min(owner.settings().retryInterval().toMillis(), left / 2);
                if (wait >= MIN_RENEW_MILLIS) {
                    LOG.info("renewal of {} failed ({}); again in {} ms", current, e.getMessage(), wait);
                    renewal = schedule(this::renew, wait);
                } else {
                    establish(List.of(current.method() + ": renewal failed until expiry: " + e.getMessage()));
                    countRestoration();
                }
            }
        }
    }

    /** Asks whether the gateway still holds the mapping; if it lost it, makes it again at once. */
    private void checkGateway() {
        synchronized (this) {
            Mapping current = status.current();
            if (closed || current == null) {
                return;
            }
            GatewayClient.Check c;
            try {
                c = client.check(current);
            } catch (GatewayException | RuntimeException e) {
                LOG.debug("check of {} failed: {}", current, e.getMessage());
                return; // the renewal, due before expiry, decides what a silent gateway means
            }
            boolean restarted = observeEpoch(c.epochSeconds());
            if (c.present() && !restarted) {
                return;
            }
            String why = restarted ? "gateway epoch shows a restart" : c.detail();
            LOG.info("gateway lost {} ({}); mapping again", current, why);
            try {
                GatewayClient.Grant g = client.map(request, current.externalPort());
                epoch.reset();
                observeEpoch(g.epochSeconds());
                restorations++;
                mapped(g.mapping(), List.of());
            } catch (GatewayException | RuntimeException e) {
                establish(List.of(current.method() + ": " + why + "; mapping again failed: " + e.getMessage()));
                countRestoration();
            }
        }
    }

    private void countRestoration() {
        if (status.state().mapped()) {
            restorations++;
        }
    }

    /** Feeds a server epoch to the tracker; true when it shows the server lost its state. */
    private boolean observeEpoch(long epochSeconds) {
        return epochSeconds != GatewayClient.NO_EPOCH
                && epoch.lostState(epochSeconds, System.nanoTime() / 1_000_000);
    }

    private void mapped(Mapping mapping, List<String> problems) {
        MappingState state = mapping.publiclyReachable() ? MappingState.REACHABLE : MappingState.NOT_PUBLIC;
        List<String> notes = new ArrayList<>(problems);
        if (state == MappingState.NOT_PUBLIC) {
            notes.add("external address " + mapping.externalAddress().getHostAddress() + " is "
                    + mapping.externalScope() + ": another NAT lies beyond the gateway, not publicly reachable");
        }
        update(new MappingStatus(state, mapping, notes, Instant.now()));
        everMapped = true;
        // Renew at half the lease (RFC 6886 3.3 suggests so); a lease far longer than we asked for
        // is not trusted to last, so the shorter of the two counts.
        long half = Math.min(mapping.lifetime().toMillis(), request.lifetime().toMillis()) / 2;
        if (renewal != null) {
            renewal.cancel(false);
        }
        renewal = schedule(this::renew, Math.max(MIN_RENEW_MILLIS, half));
        if (check == null) {
            long every = owner.settings().checkInterval().toMillis();
            try {
                check = scheduler.scheduleWithFixedDelay(this::checkGateway, every, every, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.warn("scheduler refused the gateway check; mapping will not be watched");
            }
        }
    }

    private void update(MappingStatus next) {
        MappingStatus previous = status;
        status = next;
        if (next.endpointDiffers(previous)) {
            owner.fire(this, previous, next);
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("scheduler refused a port-mapping task (shut down?); mapping {} will not be kept alive",
                    request.internalPort());
            return null;
        }
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {renewal, check, retry}) {
            if (f != null) {
                f.cancel(false);
            }
        }
        renewal = null;
        check = null;
        retry = null;
    }
}
