package org.xp2p.discovery.dht;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.xp2p.discovery.dht.record.SignedRecord;
import org.xp2p.discovery.dht.wire.Datagram;
import org.xp2p.discovery.dht.wire.MalformedDatagramException;
import org.xp2p.discovery.dht.wire.Message;

/**
 * One iterative Kademlia lookup over disjoint paths (S/Kademlia): the starting contacts
 * are dealt out to {@code d} paths, each path queries alpha at a time the closest
 * unqueried nodes it knows until its k closest have all answered or failed, and a node
 * found by one path is never used by another. A few hostile nodes can then capture at
 * most the paths that cross them. Value lookups verify every record returned and keep
 * the highest seq; the caller writes it back to nodes that answered with older ones.
 *
 * <p>Runs entirely on its node's event loop; one instance per lookup.
 */
final class Lookup {

    enum Kind { NODES, VALUE }

    private enum State { NEW, IN_FLIGHT, ANSWERED, FAILED }

    /** A node the lookup knows of, its hop depth and what it said. */
    static final class Candidate {
        final Contact contact;
        final int depth;
        State state = State.NEW;
        byte[] token;
        /** Seq of the valid record it returned; -1 for none. */
        long seq = -1;

        Candidate(Contact contact, int depth) {
            this.contact = contact;
            this.depth = depth;
        }

        boolean answered() {
            return state == State.ANSWERED;
        }
    }

    /** Everything a finished lookup learned. */
    record Outcome(List<Candidate> closestAnswered, SignedRecord best, int hops, int queried, int invalid,
                   int holders) {
    }

    private final class Path {
        final List<Candidate> candidates = new ArrayList<>();
        int inFlight;
        boolean finished;
        /** alpha while replies bring closer nodes; k once one does not (Kademlia's final round). */
        int parallelism = alpha;

        Candidate closestAlive() {
            for (Candidate c : candidates) {
                if (c.state != State.FAILED) {
                    return c;
                }
            }
            return null;
        }

        void insert(Candidate c) {
            int lo = 0;
            int hi = candidates.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (target.compareDistance(candidates.get(mid).contact.id(), c.contact.id()) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            candidates.add(lo, c);
        }
    }

    private final DhtNode node;
    private final NodeId target;
    private final Kind kind;
    private final int k;
    private final int alpha;
    private final List<Path> paths = new ArrayList<>();
    private final Set<NodeId> claimed = new HashSet<>();
    private final Consumer<Outcome> onDone;
    private Consumer<Candidate> onCloseAnswer = c -> { };
    private SignedRecord best;
    private int bestDepth = Integer.MAX_VALUE;
    private int bestHolders;
    private int invalid;
    private boolean done;

    Lookup(DhtNode node, NodeId target, Kind kind, int k, int alpha, int pathCount, Consumer<Outcome> onDone) {
        this.node = node;
        this.target = target;
        this.kind = kind;
        this.k = k;
        this.alpha = alpha;
        this.onDone = onDone;
        for (int i = 0; i < pathCount; i++) {
            paths.add(new Path());
        }
    }

    /**
     * Called whenever a node answers that is, at that moment, among the k closest known:
     * a publish stores there at once instead of waiting for the lookup to settle.
     */
    void onCloseAnswer(Consumer<Candidate> listener) {
        this.onCloseAnswer = listener;
    }

    /** Starts from our closest contacts, dealt out round-robin so each path starts apart. */
    void start(List<Contact> seeds) {
        claimed.add(node.id());
        int i = 0;
        for (Contact c : seeds) {
            if (claimed.add(c.id())) {
                paths.get(i++ % paths.size()).insert(new Candidate(c, 1));
            }
        }
        for (Path p : paths) {
            advance(p);
        }
        finishIfDone();
    }

    /**
     * For node lookups: the k-th closest live candidate over all paths. A candidate farther
     * than that cannot change the result, whichever path holds it. Value lookups do not use
     * it: there each path converges on its own k closest, so that attackers crowding the
     * union cannot stop an honest path early.
     */
    private NodeId unionHorizon() {
        List<Candidate> live = new ArrayList<>();
        for (Path p : paths) {
            int n = 0;
            for (Candidate c : p.candidates) {
                if (c.state != State.FAILED) {
                    live.add(c);
                    if (++n >= k) {
                        break;
                    }
                }
            }
        }
        if (live.size() < k) {
            return null;
        }
        live.sort((a, b) -> target.compareDistance(a.contact.id(), b.contact.id()));
        return live.get(k - 1).contact.id();
    }

    private void advance(Path path) {
        if (path.finished) {
            return;
        }
        NodeId horizon = kind == Kind.NODES ? unionHorizon() : null;
        int window = 0;
        for (Candidate c : path.candidates) {
            if (path.inFlight >= path.parallelism) {
                break;
            }
            if (c.state == State.FAILED) {
                continue;
            }
            if (window++ >= k || (horizon != null && target.compareDistance(c.contact.id(), horizon) > 0)) {
                break;
            }
            if (c.state == State.NEW) {
                c.state = State.IN_FLIGHT;
                path.inFlight++;
                query(path, c);
            }
        }
        if (path.inFlight == 0) {
            path.finished = true;
        }
    }

    /** A node lookup's horizon moves as other paths learn: a finished path may have work again. */
    private void advanceAll() {
        for (Path p : paths) {
            if (p.finished && kind == Kind.NODES) {
                p.finished = false;
            }
            advance(p);
        }
    }

    private void query(Path path, Candidate c) {
        Message request = kind == Kind.VALUE ? new Message.FindValue(target) : new Message.FindNode(target);
        node.request(c.contact.address(), c.contact.id(), request, new DhtNode.ReplyHandler() {
            @Override
            public void onReply(Datagram reply) {
                path.inFlight--;
                c.state = State.ANSWERED;
                if (done) {
                    return;
                }
                List<Contact> more;
                if (reply.message() instanceof Message.Value v) {
                    c.token = v.token();
                    more = v.contacts();
                    if (v.record() != null) {
                        takeRecord(c, v.record());
                    }
                } else if (reply.message() instanceof Message.Nodes n) {
                    c.token = n.token();
                    more = n.contacts();
                } else {
                    more = List.of();
                }
                Candidate closestBefore = path.closestAlive();
                for (Contact m : more) {
                    if (node.usable(m) && claimed.add(m.id())) {
                        path.insert(new Candidate(m, c.depth + 1));
                    }
                }
                if (path.closestAlive() == closestBefore) {
                    // No closer node learned: query the rest of the k closest at once instead of alpha at a time.
                    path.parallelism = k;
                }
                if (kind == Kind.NODES) {
                    NodeId horizon = unionHorizon();
                    if (horizon != null && target.compareDistance(c.contact.id(), horizon) <= 0) {
                        onCloseAnswer.accept(c);
                    }
                    advanceAll();
                } else {
                    advance(path);
                }
                finishIfDone();
            }

            @Override
            public void onTimeout() {
                path.inFlight--;
                c.state = State.FAILED;
                if (done) {
                    return;
                }
                if (kind == Kind.NODES) {
                    advanceAll();
                } else {
                    advance(path);
                }
                finishIfDone();
            }
        });
    }

    private void takeRecord(Candidate from, byte[] bytes) {
        SignedRecord r;
        try {
            r = SignedRecord.decode(bytes);
        } catch (MalformedDatagramException e) {
            invalid++;
            node.sawInvalidRecord(from.contact, e.getMessage());
            return;
        }
        if (!r.key().equals(target)) {
            invalid++;
            node.sawInvalidRecord(from.contact, "record for key " + r.key() + " returned for " + target);
            return;
        }
        if (!node.recordAllowed(r)) {
            invalid++;
            node.sawInvalidRecord(from.contact, "record of a key outside the allow-list");
            return;
        }
        from.seq = r.seq();
        if (best == null || r.seq() > best.seq()) {
            best = r;
            bestDepth = from.depth;
            bestHolders = 1;
        } else if (r.sameBytes(best)) {
            bestDepth = Math.min(bestDepth, from.depth);
            bestHolders++;
        }
    }

    /**
     * A node lookup is done once every live candidate up to the horizon has answered:
     * replies still out from farther nodes cannot displace those k any more.
     */
    private boolean horizonSettled() {
        NodeId horizon = unionHorizon();
        if (horizon == null) {
            return false;
        }
        for (Path p : paths) {
            for (Candidate c : p.candidates) {
                if (target.compareDistance(c.contact.id(), horizon) > 0) {
                    break;
                }
                if (c.state == State.NEW || c.state == State.IN_FLIGHT) {
                    return false;
                }
            }
        }
        return true;
    }

    private void finishIfDone() {
        if (done) {
            return;
        }
        boolean allFinished = true;
        for (Path p : paths) {
            allFinished &= p.finished;
        }
        if (!allFinished && !(kind == Kind.NODES && horizonSettled())) {
            return;
        }
        done = true;
        List<Candidate> answered = new ArrayList<>();
        for (Path p : paths) {
            for (Candidate c : p.candidates) {
                if (c.answered()) {
                    answered.add(c);
                }
            }
        }
        answered.sort((a, b) -> target.compareDistance(a.contact.id(), b.contact.id()));
        int queried = answered.size();
        List<Candidate> closest = answered.size() > k ? new ArrayList<>(answered.subList(0, k)) : answered;
        int hops;
        if (kind == Kind.VALUE) {
            hops = best == null ? 0 : bestDepth;
        } else {
            hops = closest.isEmpty() ? 0 : closest.get(0).depth;
        }
        onDone.accept(new Outcome(closest, best, hops, queried, invalid, bestHolders));
    }
}
