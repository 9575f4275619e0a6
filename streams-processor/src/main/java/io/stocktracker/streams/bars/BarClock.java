package io.stocktracker.streams.bars;

/**
 * The bar timeline of one partition, persisted so a restart neither reopens a published bar nor
 * forgets how far time has advanced.
 *
 * @param streamTimeMs the latest source time seen
 * @param closedThroughMs every window ending at or before this instant is closed (published)
 */
public record BarClock(long streamTimeMs, long closedThroughMs) {
    public static final BarClock START = new BarClock(Long.MIN_VALUE, Long.MIN_VALUE);
}
