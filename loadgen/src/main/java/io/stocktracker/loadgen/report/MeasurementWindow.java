package io.stocktracker.loadgen.report;

/**
 * The span of ingest times that counts. A quote is expected, and its delivery counted, only when its
 * {@code ingestedAt} falls inside {@code [start, end)}: subscriptions are acknowledged before the window
 * opens, and deliveries of in-window quotes that arrive after it closes (in the drain) still count.
 */
public final class MeasurementWindow {
    private volatile long startMicros = Long.MAX_VALUE;
    private volatile long endMicros = Long.MAX_VALUE;

    public void open(long nowMicros) {
        endMicros = Long.MAX_VALUE;
        startMicros = nowMicros;
    }

    public void close(long nowMicros) {
        endMicros = nowMicros;
    }

    public boolean contains(long ingestedAtMicros) {
        return ingestedAtMicros >= startMicros && ingestedAtMicros < endMicros;
    }

    public boolean isOpen() {
        return startMicros != Long.MAX_VALUE && endMicros == Long.MAX_VALUE;
    }

    public long startMicros() {
        return startMicros;
    }

    public long endMicros() {
        return endMicros;
    }

    public static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
