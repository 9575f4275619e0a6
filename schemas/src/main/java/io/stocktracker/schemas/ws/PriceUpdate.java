package io.stocktracker.schemas.ws;

import io.stocktracker.schemas.model.StockQuote;
import java.time.Instant;

/**
 * One symbol's new quote. {@code source} is present on the Redis channel (the seed's format);
 * {@code snapshot} is true only on the catch-up answer to a subscribe.
 */
public record PriceUpdate(String symbol, StockQuote data, String source, Instant timestamp, Boolean snapshot)
        implements ServerMessage {
    public static final String TYPE = "price_update";

    public static PriceUpdate of(StockQuote quote, Instant timestamp) {
        return new PriceUpdate(quote.symbol(), quote, quote.source(), timestamp, null);
    }

    public PriceUpdate asSnapshot() {
        return new PriceUpdate(symbol, data, source, timestamp, Boolean.TRUE);
    }
}
