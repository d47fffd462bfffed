package org.xp2p.discovery.dht;

import java.util.Optional;

/**
 * The settings of one DHT node, defaulting to the design values (k = 20, alpha = 3,
 * three disjoint paths, a 16-bit ID puzzle, adaptive timeouts between 50 ms and 2 s,
 * hourly bucket refresh, reachability found out by dial-backs). Immutable; build with {@link #builder()}.
 */
public final class DhtConfig {

    private final int k;
    private final int alpha;
    private final int disjointPaths;
    private final int puzzleDifficultyBits;
    private final Reachability reachability;
    private final long reachabilityWaitMillis;
    private final long reachabilityRecheckMillis;
    private final SubnetPolicy subnetPolicy;
    private final int maxPerSubnetPerBucket;
    private final int maxPerSubnetInTable;
    private final long minTimeoutMillis;
    private final long maxTimeoutMillis;
    private final long initialRttMillis;
    private final int maxContactFailures;
    private final long bucketRefreshMillis;
    private final long maintenanceIntervalMillis;
    private final long contactStaleMillis;
    private final long tokenRotationMillis;
    private final int recordCapacity;
    private final double rateLimitPerSecond;
    private final double rateLimitBurst;
    private final AllowList allowList;
    private final byte[] networkKey;

    private DhtConfig(Builder b) {
        k = b.k;
        alpha = b.alpha;
        disjointPaths = b.disjointPaths;
        puzzleDifficultyBits = b.puzzleDifficultyBits;
        reachability = b.reachability;
        reachabilityWaitMillis = b.reachabilityWaitMillis;
        reachabilityRecheckMillis = b.reachabilityRecheckMillis;
        subnetPolicy = b.subnetPolicy;
        maxPerSubnetPerBucket = b.maxPerSubnetPerBucket;
        maxPerSubnetInTable = b.maxPerSubnetInTable;
        minTimeoutMillis = b.minTimeoutMillis;
        maxTimeoutMillis = b.maxTimeoutMillis;
        initialRttMillis = b.initialRttMillis;
        maxContactFailures = b.maxContactFailures;
        bucketRefreshMillis = b.bucketRefreshMillis;
        maintenanceIntervalMillis = b.maintenanceIntervalMillis;
        contactStaleMillis = b.contactStaleMillis;
        tokenRotationMillis = b.tokenRotationMillis;
        recordCapacity = b.recordCapacity;
        rateLimitPerSecond = b.rateLimitPerSecond;
        rateLimitBurst = b.rateLimitBurst;
        allowList = b.allowList;
        networkKey = b.networkKey == null ? null : b.networkKey.clone();
    }

    public static DhtConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int k() { return k; }
    public int alpha() { return alpha; }
    public int disjointPaths() { return disjointPaths; }
    public int puzzleDifficultyBits() { return puzzleDifficultyBits; }
    /** Serve others, act as a client only, or find out by dial-backs (the default). */
    public Reachability reachability() { return reachability; }
    /** Configured as a client only for good (it may still act as one in AUTO mode until reachable). */
    public boolean clientOnly() { return reachability == Reachability.CLIENT; }
    /** How long an AUTO node waits for dial-back probes after asking. */
    public long reachabilityWaitMillis() { return reachabilityWaitMillis; }
    /** How often an AUTO node checks its reachability again once it has a verdict. */
    public long reachabilityRecheckMillis() { return reachabilityRecheckMillis; }
    public SubnetPolicy subnetPolicy() { return subnetPolicy; }
    public int maxPerSubnetPerBucket() { return maxPerSubnetPerBucket; }
    public int maxPerSubnetInTable() { return maxPerSubnetInTable; }
    public long minTimeoutMillis() { return minTimeoutMillis; }
    public long maxTimeoutMillis() { return maxTimeoutMillis; }
    public long initialRttMillis() { return initialRttMillis; }
    public int maxContactFailures() { return maxContactFailures; }
    public long bucketRefreshMillis() { return bucketRefreshMillis; }
    public long maintenanceIntervalMillis() { return maintenanceIntervalMillis; }
    public long contactStaleMillis() { return contactStaleMillis; }
    public long tokenRotationMillis() { return tokenRotationMillis; }
    public int recordCapacity() { return recordCapacity; }
    public double rateLimitPerSecond() { return rateLimitPerSecond; }
    public double rateLimitBurst() { return rateLimitBurst; }
    /** Private network mode: only these identity keys are admitted. */
    public Optional<AllowList> allowList() { return Optional.ofNullable(allowList); }
    /** Private network mode: every datagram carries a MAC under this pre-shared key. */
    public Optional<byte[]> networkKey() { return Optional.ofNullable(networkKey).map(byte[]::clone); }

    /** Collects settings; every one has the design default. Not thread-safe. */
    public static final class Builder {
        private int k = 20;
        private int alpha = 3;
        private int disjointPaths = 3;
        private int puzzleDifficultyBits = IdPuzzle.DEFAULT_DIFFICULTY_BITS;
        private Reachability reachability = Reachability.AUTO;
        private long reachabilityWaitMillis = 3000;
        private long reachabilityRecheckMillis = 15 * 60 * 1000L;
        private SubnetPolicy subnetPolicy = SubnetPolicy.STANDARD;
        private int maxPerSubnetPerBucket = 2;
        private int maxPerSubnetInTable = 10;
        private long minTimeoutMillis = 50;
        private long maxTimeoutMillis = 2000;
        private long initialRttMillis = 250;
        private int maxContactFailures = 2;
        private long bucketRefreshMillis = 60 * 60 * 1000L;
        private long maintenanceIntervalMillis = 60 * 1000L;
        private long contactStaleMillis = 15 * 60 * 1000L;
        private long tokenRotationMillis = 5 * 60 * 1000L;
        private int recordCapacity = 20_000;
        private double rateLimitPerSecond = 500;
        private double rateLimitBurst = 1000;
        private AllowList allowList;
        private byte[] networkKey;

        public Builder k(int v) { k = positive("k", v); return this; }
        public Builder alpha(int v) { alpha = positive("alpha", v); return this; }
        public Builder disjointPaths(int v) { disjointPaths = positive("disjointPaths", v); return this; }
        public Builder puzzleDifficultyBits(int v) {
            if (v < 0 || v > 32) {
                throw new IllegalArgumentException("puzzle difficulty " + v + " bits is outside 0..32");
            }
            puzzleDifficultyBits = v;
            return this;
        }
        /** Compatibility with the old boolean: true is {@link Reachability#CLIENT}, false {@link Reachability#SERVER}. */
        public Builder clientOnly(boolean v) { reachability = v ? Reachability.CLIENT : Reachability.SERVER; return this; }
        public Builder reachability(Reachability v) { reachability = java.util.Objects.requireNonNull(v); return this; }
        public Builder reachabilityWaitMillis(long v) { reachabilityWaitMillis = positive("reachabilityWaitMillis", v); return this; }
        public Builder reachabilityRecheckMillis(long v) { reachabilityRecheckMillis = positive("reachabilityRecheckMillis", v); return this; }
        public Builder subnetPolicy(SubnetPolicy v) { subnetPolicy = java.util.Objects.requireNonNull(v); return this; }
        public Builder maxPerSubnetPerBucket(int v) { maxPerSubnetPerBucket = positive("maxPerSubnetPerBucket", v); return this; }
        public Builder maxPerSubnetInTable(int v) { maxPerSubnetInTable = positive("maxPerSubnetInTable", v); return this; }
        public Builder timeoutMillis(long min, long max) {
            if (min <= 0 || max < min) {
                throw new IllegalArgumentException("timeout range " + min + ".." + max + " ms is empty");
            }
            minTimeoutMillis = min;
            maxTimeoutMillis = max;
            return this;
        }
        public Builder initialRttMillis(long v) { initialRttMillis = positive("initialRttMillis", v); return this; }
        public Builder maxContactFailures(int v) { maxContactFailures = positive("maxContactFailures", v); return this; }
        public Builder bucketRefreshMillis(long v) { bucketRefreshMillis = positive("bucketRefreshMillis", v); return this; }
        public Builder maintenanceIntervalMillis(long v) { maintenanceIntervalMillis = positive("maintenanceIntervalMillis", v); return this; }
        public Builder contactStaleMillis(long v) { contactStaleMillis = positive("contactStaleMillis", v); return this; }
        public Builder tokenRotationMillis(long v) { tokenRotationMillis = positive("tokenRotationMillis", v); return this; }
        public Builder recordCapacity(int v) { recordCapacity = positive("recordCapacity", v); return this; }
        public Builder rateLimit(double perSecond, double burst) {
            if (perSecond <= 0 || burst < 1) {
                throw new IllegalArgumentException("rate limit needs a positive rate and a burst of at least 1");
            }
            rateLimitPerSecond = perSecond;
            rateLimitBurst = burst;
            return this;
        }
        /** Private network: admit only keys on this list (the node's own key is always admitted). */
        public Builder allowList(AllowList v) { allowList = v; return this; }
        /** Private network: MAC every datagram under this key (at least 16 octets). */
        public Builder networkKey(byte[] v) {
            if (v != null && v.length < 16) {
                throw new IllegalArgumentException("network key of " + v.length + " octets is too short; use 16 or more");
            }
            networkKey = v == null ? null : v.clone();
            return this;
        }

        private static int positive(String name, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive, not " + v);
            }
            return v;
        }

        private static long positive(String name, long v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive, not " + v);
            }
            return v;
        }

        public DhtConfig build() {
            if (disjointPaths > k) {
                throw new IllegalArgumentException(disjointPaths + " disjoint paths need k >= paths, k is " + k);
            }
            return new DhtConfig(this);
        }
    }
}
