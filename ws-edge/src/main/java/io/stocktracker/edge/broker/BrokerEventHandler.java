package io.stocktracker.edge.broker;

import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.ws.ErrorMessage;

/**
 * What a {@link Broker} delivers: each new quote once per edge, in seq order per symbol, one call at a time from the
 * broker's I/O threads (hand off quickly, never block).
 */
public interface BrokerEventHandler {
    /** {@code frame}: the UTF-8 JSON price_update, serialized once and sent as is to every JSON subscriber. */
    void onQuote(StockQuote quote, byte[] frame);

    /** A source failure for one symbol; {@code frame}: its JSON. */
    void onSourceError(ErrorMessage error, byte[] frame);

    /** A market-data:control command addressed to this edge. */
    void onControl(ControlMessage message);
}
