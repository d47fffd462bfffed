package org.xp2p.discovery.dht;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One node's Kademlia routing table for one address family: 256 buckets by common-prefix
 * length with the node's ID, each holding up to k verified contacts in order of last
 * contact, plus a small replacement cache of candidates. Full buckets keep their
 * long-lived contacts (newcomers wait in the cache until one fails), and a few contacts
 * per subnet at most may sit in a bucket and in the table.
 *
 * <p>Only verified contacts are added: the node challenges a candidate first. Not
 * thread-safe: owned by its node's event loop.
 */
final class RoutingTable {

    /** A contact in a bucket and what the node has learned about it. */
    static final class Entry {
        final Contact contact;
        final String subnet;
        final long firstSeenMillis;
        long lastSeenMillis;
        int failures;

        Entry(Contact contact, String subnet, long nowMillis) {
            this.contact = contact;
            this.subnet = subnet;
            this.firstSeenMillis = nowMillis;
            this.lastSeenMillis = nowMillis;
        }
    }

    private final NodeId self;
    private final int k;
    private final SubnetPolicy subnets;
    private final int maxPerSubnetPerBucket;
    private final int maxPerSubnetInTable;
    private final List<List<Entry>> buckets = new ArrayList<>(NodeId.BITS);
    private final List<ArrayDeque<Contact>> replacements = new ArrayList<>(NodeId.BITS);
    private final long[] lastLookupMillis = new long[NodeId.BITS];
    private final Map<NodeId, Entry> byId = new HashMap<>();
    private final Map<String, Integer> perSubnet = new HashMap<>();

    RoutingTable(NodeId self, int k, SubnetPolicy subnets, int maxPerSubnetPerBucket, int maxPerSubnetInTable) {
        this.self = self;
        this.k = k;
        this.subnets = subnets;
        this.maxPerSubnetPerBucket = maxPerSubnetPerBucket;
        this.maxPerSubnetInTable = maxPerSubnetInTable;
        // Most of the 256 buckets stay empty: keep them unallocated until used.
        for (int i = 0; i < NodeId.BITS; i++) {
            buckets.add(new ArrayList<>());
            replacements.add(null);
        }
    }

    int bucketIndex(NodeId id) {
        return Math.min(self.commonPrefixLength(id), NodeId.BITS - 1);
    }

    Optional<Entry> get(NodeId id) {
        return Optional.ofNullable(byId.get(id));
    }

    int size() {
        return byId.size();
    }

    /** Whether a verified {@code c} would be added now: room in its bucket and within subnet limits. */
    boolean hasRoomFor(Contact c) {
        if (c.id().equals(self) || byId.containsKey(c.id())) {
            return false;
        }
        List<Entry> bucket = buckets.get(bucketIndex(c.id()));
        return bucket.size() < k && withinSubnetLimits(c, bucket);
    }

    private boolean withinSubnetLimits(Contact c, List<Entry> bucket) {
        String subnet = subnets.subnetOf(c.address());
        if (perSubnet.getOrDefault(subnet, 0) >= maxPerSubnetInTable) {
            return false;
        }
        int inBucket = 0;
        for (Entry e : bucket) {
            if (e.subnet.equals(subnet)) {
                inBucket++;
            }
        }
        return inBucket < maxPerSubnetPerBucket;
    }

    /** Adds a contact that answered its challenge; false when there is no room after all. */
    boolean add(Contact c, long nowMillis) {
        if (!hasRoomFor(c)) {
            return false;
        }
        Entry e = new Entry(c, subnets.subnetOf(c.address()), nowMillis);
        buckets.get(bucketIndex(c.id())).add(e);
        byId.put(c.id(), e);
        perSubnet.merge(e.subnet, 1, Integer::sum);
        ArrayDeque<Contact> cache = replacements.get(bucketIndex(c.id()));
        if (cache != null) {
            cache.removeIf(r -> r.id().equals(c.id()));
        }
        return true;
    }

    /** Remembers a candidate for a full bucket, newest first, at most k. */
    void offerReplacement(Contact c) {
        ArrayDeque<Contact> cache = replacements.get(bucketIndex(c.id()));
        if (cache == null) {
            cache = new ArrayDeque<>();
            replacements.set(bucketIndex(c.id()), cache);
        }
        cache.removeIf(r -> r.id().equals(c.id()));
        cache.addFirst(c);
        while (cache.size() > k) {
            cache.removeLast();
        }
    }

    /** Takes the newest replacement candidate of a bucket, if any. */
    Optional<Contact> takeReplacement(int bucket) {
        ArrayDeque<Contact> cache = replacements.get(bucket);
        return cache == null ? Optional.empty() : Optional.ofNullable(cache.pollFirst());
    }

    boolean bucketFull(NodeId id) {
        return buckets.get(bucketIndex(id)).size() >= k;
    }

    /** The contact of a full bucket seen longest ago: the one to ping before preferring a newcomer. */
    Optional<Entry> leastRecentlySeen(NodeId inBucketOf) {
        return buckets.get(bucketIndex(inBucketOf)).stream().min(Comparator.comparingLong(e -> e.lastSeenMillis));
    }

    /** The contact answered: it is alive and keeps its place. */
    void seen(NodeId id, long nowMillis) {
        Entry e = byId.get(id);
        if (e != null) {
            e.lastSeenMillis = nowMillis;
            e.failures = 0;
        }
    }

    /** The contact did not answer; after {@code maxFailures} in a row it is removed. Returns whether removed. */
    boolean failed(NodeId id, int maxFailures) {
        Entry e = byId.get(id);
        if (e == null) {
            return false;
        }
        if (++e.failures < maxFailures) {
            return false;
        }
        remove(id);
        return true;
    }

    void remove(NodeId id) {
        Entry e = byId.remove(id);
        if (e != null) {
            buckets.get(bucketIndex(id)).remove(e);
            perSubnet.computeIfPresent(e.subnet, (s, n) -> n > 1 ? n - 1 : null);
        }
    }

    /**
     * The {@code n} verified contacts closest to {@code target}, closest first. Buckets are
     * visited in XOR order instead of sorting the whole table: with b the bucket of the
     * target, bucket b holds the closest contacts, then all deeper buckets together (they
     * share exactly b bits with the target), then buckets b-1 down to 0.
     */
    List<Contact> closest(NodeId target, int n, Predicate<Contact> exclude) {
        int b = bucketIndex(target);
        List<Contact> out = new ArrayList<>(n);
        addSorted(out, target, exclude, b, b);
        if (out.size() < n && b + 1 < NodeId.BITS) {
            addSorted(out, target, exclude, b + 1, NodeId.BITS - 1);
        }
        for (int i = b - 1; i >= 0 && out.size() < n; i--) {
            addSorted(out, target, exclude, i, i);
        }
        return out.size() > n ? new ArrayList<>(out.subList(0, n)) : out;
    }

    private void addSorted(List<Contact> out, NodeId target, Predicate<Contact> exclude, int from, int to) {
        int start = out.size();
        for (int i = from; i <= to; i++) {
            for (Entry e : buckets.get(i)) {
                if (!exclude.test(e.contact)) {
                    out.add(e.contact);
                }
            }
        }
        if (out.size() - start > 1) {
            out.subList(start, out.size()).sort((x, y) -> target.compareDistance(x.id(), y.id()));
        }
    }

    List<Contact> all() {
        List<Contact> out = new ArrayList<>(byId.size());
        for (Entry e : byId.values()) {
            out.add(e.contact);
        }
        return out;
    }

    void lookedUp(NodeId target, long nowMillis) {
        lastLookupMillis[bucketIndex(target)] = nowMillis;
    }

    /**
     * Buckets due a refresh: from 0 up to the bucket of our closest contact (deeper ones are
     * empty by nature), not looked into for {@code refreshMillis}.
     */
    List<Integer> bucketsToRefresh(long nowMillis, long refreshMillis) {
        int deepest = 0;
        for (int i = NodeId.BITS - 1; i >= 0; i--) {
            if (!buckets.get(i).isEmpty()) {
                deepest = i;
                break;
            }
        }
        List<Integer> due = new ArrayList<>();
        for (int i = 0; i <= deepest; i++) {
            if (nowMillis - lastLookupMillis[i] >= refreshMillis) {
                due.add(i);
            }
        }
        return due;
    }

    /** Contacts not heard from for {@code staleMillis}, to be pinged. */
    List<Contact> stale(long nowMillis, long staleMillis) {
        List<Contact> out = new ArrayList<>();
        for (Iterator<Entry> it = byId.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (nowMillis - e.lastSeenMillis >= staleMillis) {
                out.add(e.contact);
            }
        }
        return out;
    }
}
