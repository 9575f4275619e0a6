package io.stocktracker.schemas.model;

import java.time.Instant;

/** One OHLCV bar of a symbol over [windowStart, windowEnd): the value of {@code quotes.bars.1m}. */
public record Bar(
        String symbol,
        Instant windowStart,
        Instant windowEnd,
        double open,
        double high,
        double low,
        double close,
        long volume,
        long count) {
}
