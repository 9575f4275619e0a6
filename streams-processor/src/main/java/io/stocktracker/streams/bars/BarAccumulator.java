package io.stocktracker.streams.bars;

import io.stocktracker.schemas.model.Bar;
import java.time.Instant;

/** The running OHLCV of one symbol's window (the value of the windowed aggregate store). */
public record BarAccumulator(double open, long openTimeMs, double high, double low, double close, long closeTimeMs,
                             long volume, long count) {

    public static BarAccumulator empty() {
        return new BarAccumulator(0, Long.MAX_VALUE, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, Long.MIN_VALUE, 0, 0);
    }

    /** Open and close follow source time, not arrival order, so a late quote within the grace period lands where it belongs. */
    public BarAccumulator add(BarInput in) {
        boolean first = count == 0;
        double newOpen = first || in.sourceTimeMs() < openTimeMs ? in.price() : open;
        long newOpenTime = first ? in.sourceTimeMs() : Math.min(openTimeMs, in.sourceTimeMs());
        double newClose = first || in.sourceTimeMs() >= closeTimeMs ? in.price() : close;
        long newCloseTime = first ? in.sourceTimeMs() : Math.max(closeTimeMs, in.sourceTimeMs());
        return new BarAccumulator(newOpen, newOpenTime, Math.max(high, in.price()), Math.min(low, in.price()), newClose,
                newCloseTime, volume + in.volumeDelta(), count + 1);
    }

    public Bar toBar(String symbol, Instant windowStart, Instant windowEnd) {
        return new Bar(symbol, windowStart, windowEnd, open, high, low, close, volume, count);
    }
}
