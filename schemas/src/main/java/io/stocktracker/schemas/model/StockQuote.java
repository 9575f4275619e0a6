package io.stocktracker.schemas.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.stocktracker.schemas.codec.SymbolDeserializer;
import java.time.Instant;

/**
 * The seed's price-update {@code data}: an accepted, enriched quote. Additive fields: {@code seq}
 * (strictly increasing per symbol, assigned by streams-processor), {@code ingestedAt} and
 * {@code processedAt} (for latency measurement). {@code timestamp} is the source time.
 */
public record StockQuote(
        @JsonDeserialize(using = SymbolDeserializer.class) String symbol,
        @JsonProperty(required = true) double price,
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
