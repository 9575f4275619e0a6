package io.stocktracker.schemas.model;

import java.time.Instant;

/**
 * A quote as a source delivered it, before dedup and enrichment: the value of {@code quotes.raw}.
 * Provider fields the source did not give stay null. {@code timestamp} is the source's own time,
 * {@code ingestedAt} when the connector fetched it (the start of end-to-end latency).
 */
public record RawQuote(
        String symbol,
        double price,
        Double open,
        Double high,
        Double low,
        Double previousClose,
        Long volume,
        Double change,
        Double changePercent,
        Instant timestamp,
        String source,
        Instant ingestedAt) {

    public static RawQuote of(String symbol, double price, Instant timestamp, String source) {
        return new RawQuote(symbol, price, null, null, null, null, null, null, null, timestamp, source, Instant.now());
    }
}
