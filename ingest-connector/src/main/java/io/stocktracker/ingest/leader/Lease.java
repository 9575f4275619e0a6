package io.stocktracker.ingest.leader;

import java.time.Duration;

/**
 * What this instance knows about its leader lease, on the monotonic clock ({@code System.nanoTime}
 * values, so wall-clock jumps change nothing). A lease granted or renewed by a command sent at {@code t}
 * lives in Redis until at least {@code t + ttl} (Redis started counting after we sent). We trust it only
 * until {@code t + ttl - margin} with {@code margin = ttl / 4}: renewals go every third of the TTL, so two
 * renewals in a row must fail before we stop, and the margin leaves room for a provider request already
 * in flight (hence INGEST_HTTP_REQUEST_TIMEOUT_MS <= TTL / 4) and for clock-rate drift between us and
 * Redis. Pure: every method takes the time.
 */
public final class Lease {
    private final long ttlNanos;
    private final long marginNanos;
    private boolean claimed;
    private long validUntil;

    public Lease(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
        this.marginNanos = ttl.toNanos() / 4;
    }

    public static Duration margin(Duration ttl) {
        return ttl.dividedBy(4);
    }

    /** SET NX succeeded, or the compare-and-renew did, for a command sent at {@code sentAt}. */
    public synchronized void granted(long sentAt) {
        claimed = true;
        validUntil = sentAt + ttlNanos - marginNanos;
    }

    /** The key holds someone else's id (or none): we are not the leader, whatever we thought. */
    public synchronized void lost() {
        claimed = false;
    }

    /** True while this instance may act as the leader. */
    public synchronized boolean holds(long now) {
        return claimed && now - validUntil < 0;
    }

    /** Nanoseconds until {@link #holds} turns false by itself (negative once it has). */
    public synchronized long remainingNanos(long now) {
        return validUntil - now;
    }

    /**
     * True once we were granted the lease and nobody said otherwise: keep renewing it (even after
     * {@link #holds} turned false for want of Redis, the key may still be ours).
     */
    public synchronized boolean claimed() {
        return claimed;
    }
}
