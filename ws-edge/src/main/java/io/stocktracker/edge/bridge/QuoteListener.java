package io.stocktracker.edge.bridge;

import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.ErrorMessage;

/**
 * Where the bridge delivers every accepted update, exactly once per new {@code seq} per edge, in seq
 * order per symbol. Calls come from the bridge's I/O threads (the Redis event loop, or the Kafka consumer
 * while Redis is down), one at a time: implementations must hand off quickly and never block.
 */
public interface QuoteListener {
    /** {@code frame} = the UTF-8 JSON of the seed's price_update message, serialized ONCE, to be sent as-is to every subscriber. */
    void onQuote(StockQuote quote, byte[] frame);

    /** A source failure (type "error" with symbol) seen on market-data:updates; {@code frame} = its JSON. */
    void onSourceError(ErrorMessage error, byte[] frame);
}
