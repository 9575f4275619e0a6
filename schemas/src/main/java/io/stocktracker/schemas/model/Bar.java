package io.stocktracker.schemas.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.stocktracker.schemas.codec.SymbolDeserializer;
import java.time.Instant;

/** One OHLCV bar of a symbol over [windowStart, windowEnd): the value of {@code quotes.bars.1m}. */
public record Bar(
        @JsonProperty(required = true) @JsonDeserialize(using = SymbolDeserializer.class) String symbol,
        @JsonProperty(required = true) Instant windowStart,
        @JsonProperty(required = true) Instant windowEnd,
        @JsonProperty(required = true) double open,
        @JsonProperty(required = true) double high,
        @JsonProperty(required = true) double low,
        @JsonProperty(required = true) double close,
        @JsonProperty(required = true) long volume,
        @JsonProperty(required = true) long count) {
}
