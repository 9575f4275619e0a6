package io.stocktracker.loadgen.report;

import java.util.Arrays;

/**
 * Quotes received per 100 ms since the run started, so a stall (an edge that delivers nothing for seconds
 * while clients arrive) shows up as a gap rather than only as a fat latency tail. One writer thread; read
 * after that thread stopped.
 */
public final class DeliveryTimeline {
    public static final long BUCKET_NANOS = 100_000_000L;

    private final long startNanos;
    private long[] buckets;

    /** @param startNanos {@code System.nanoTime()} of bucket 0 */
    public DeliveryTimeline(long startNanos, long expectedSpanSeconds) {
        this.startNanos = startNanos;
        this.buckets = new long[(int) Math.max(16, expectedSpanSeconds * 10 + 16)];
    }

    public void record(long nowNanos, int quotes) {
        long i = (nowNanos - startNanos) / BUCKET_NANOS;
        if (i < 0) {
            return;
        }
        if (i >= buckets.length) {
            if (i > 36_000_000L) {
                return; // past 1,000 hours: not a run this tool makes
            }
            buckets = Arrays.copyOf(buckets, (int) Math.max(i + 1, buckets.length * 2L));
        }
        buckets[(int) i] += quotes;
    }

    /**
     * The longest stretch of whole 100 ms buckets without a single delivery in {@code [fromNanos, toNanos)}, in
     * seconds; 0 when every bucket saw one.
     */
    public double longestGapSeconds(long fromNanos, long toNanos) {
        int from = bucket(fromNanos);
        int to = bucket(toNanos);
        int longest = 0;
        int run = 0;
        for (int i = from; i < to; i++) {
            if (count(i) == 0) {
                run++;
                longest = Math.max(longest, run);
            } else {
                run = 0;
            }
        }
        return longest / 10.0;
    }

    /** Deliveries per whole second from {@code fromNanos}, up to {@code toNanos}. */
    public long[] perSecond(long fromNanos, long toNanos) {
        int from = bucket(fromNanos);
        int to = bucket(toNanos);
        long[] out = new long[Math.max(0, (to - from + 9) / 10)];
        for (int i = from; i < to; i++) {
            out[(i - from) / 10] += count(i);
        }
        return out;
    }

    private long count(int i) {
        return i >= 0 && i < buckets.length ? buckets[i] : 0;
    }

    private int bucket(long nanos) {
        return (int) Math.max(0, (nanos - startNanos) / BUCKET_NANOS);
    }
}
