package io.stocktracker.schemas.model;

import java.time.Instant;

/**
 * The seed's price-update {@code data}: an accepted, enriched quote. Additive fields: {@code seq}
 * (strictly increasing per symbol, assigned by streams-processor), {@code ingestedAt} and
 * {@code processedAt} (for latency measurement). {@code timestamp} is the source time.
 */
public record StockQuote(
        String symbol,
        double price,
        Double change,
        Double changePercent,
        Long volume,
        Double high,
        Double low,
        Double open,
        Double previousClose,
        Instant timestamp,
        String source,
        Long seq,
        Instant ingestedAt,
        Instant processedAt) {
}
