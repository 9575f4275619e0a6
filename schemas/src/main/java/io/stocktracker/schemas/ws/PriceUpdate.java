package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.stocktracker.schemas.codec.SymbolDeserializer;
import io.stocktracker.schemas.model.StockQuote;
import java.time.Instant;

/**
 * One symbol's new quote. {@code source} is present on the Redis channel (the seed's format);
 * {@code snapshot} is true only on the catch-up answer to a subscribe.
 */
public record PriceUpdate(
        @JsonProperty(required = true) @JsonDeserialize(using = SymbolDeserializer.class) String symbol,
        @JsonProperty(required = true) StockQuote data,
        String source,
        Instant timestamp,
        Boolean snapshot) implements ServerMessage {
    public static final String TYPE = "price_update";

    public static PriceUpdate of(StockQuote quote, Instant timestamp) {
        return new PriceUpdate(quote.symbol(), quote, quote.source(), timestamp, null);
    }

    public PriceUpdate asSnapshot() {
        return new PriceUpdate(symbol, data, source, timestamp, Boolean.TRUE);
    }
}
