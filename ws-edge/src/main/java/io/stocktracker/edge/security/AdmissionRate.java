package io.stocktracker.edge.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * New connections per second per client address ({@code ADMISSION_RATE_PER_SECOND}, bursts of {@code ADMISSION_BURST}):
 * one token bucket per {@link AddressPrefix} key. The connection cap bounds how many sockets an address holds; this
 * bounds how fast it can open and drop them (each attempt costs a handshake, a token check, maybe a Redis call).
 * Buckets that have refilled are forgotten every {@value #SWEEP_EVERY} admissions, so the map holds only addresses
 * seen within about {@code burst / rate} seconds, however many an attacker rotates through.
 */
public final class AdmissionRate {
    static final int SWEEP_EVERY = 1024;

    private final double ratePerSecond;
    private final int burst;
    private final int ipv6PrefixBits;
    private final ConcurrentHashMap<String, RateLimiter> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger sinceSweep = new AtomicInteger();

    public AdmissionRate(double ratePerSecond, int burst, int ipv6PrefixBits) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.ipv6PrefixBits = ipv6PrefixBits;
    }

    /** Takes one admission for this address; false when it opened its burst faster than the rate refills. */
    public boolean tryAdmit(String address, long nowNanos) {
        if (sinceSweep.incrementAndGet() >= SWEEP_EVERY) {
            sinceSweep.set(0);
            buckets.values().removeIf(b -> b.fullAt(nowNanos));
        }
        boolean[] ok = {false};
        // compute: the bucket is not thread-safe, and two upgrades from one address may race
        buckets.compute(AddressPrefix.key(address, ipv6PrefixBits), (k, b) -> {
            RateLimiter bucket = b != null ? b : new RateLimiter(ratePerSecond, burst, nowNanos);
            ok[0] = bucket.tryAcquire(nowNanos);
            return bucket;
        });
        return ok[0];
    }

    /** Whole seconds until this address may try again, for {@code Retry-After} (at least 1). */
    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / ratePerSecond));
    }
}
