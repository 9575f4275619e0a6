package io.stocktracker.edge.security;

/**
 * Token bucket for one connection's inbound messages: refills {@code ratePerSecond}, holds at most
 * {@code burst}. Not thread-safe: Jetty delivers one connection's frames one at a time.
 */
public final class RateLimiter {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    public RateLimiter(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1_000_000_000d;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryAcquire(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - lastNanos);
        lastNanos = nowNanos;
        tokens = Math.min(burst, tokens + elapsed * ratePerNano);
        if (tokens >= 1d) {
            tokens -= 1d;
            return true;
        }
        return false;
    }

    /** Refilled to its burst by this time: nothing distinguishes it from a new bucket. */
    boolean fullAt(long nowNanos) {
        return tokens + Math.max(0, nowNanos - lastNanos) * ratePerNano >= burst;
    }

    public double available() {
        return tokens;
    }
}
