package io.stocktracker.edge.security;

import java.util.ArrayDeque;

/**
 * Counts a connection's protocol violations (rate limit, oversized or invalid frames) in a sliding window.
 * Each violation is answered with an error and the connection stays; only {@code max} of them inside the
 * window is abuse and closes it.
 */
public final class ViolationTracker {
    private final int max;
    private final long windowNanos;
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    public ViolationTracker(int max, long windowNanos) {
        this.max = max;
        this.windowNanos = windowNanos;
    }

    /** Records one violation; true when this one crosses the abuse limit. */
    public synchronized boolean record(long nowNanos) {
        while (!times.isEmpty() && nowNanos - times.peekFirst() > windowNanos) {
            times.pollFirst();
        }
        times.addLast(nowNanos);
        return times.size() >= max;
    }

    public synchronized int count() {
        return times.size();
    }
}
