package io.stocktracker.edge.bridge;

import io.micrometer.core.instrument.Counter;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.PriceUpdate;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door to the edge's listeners. Quotes can arrive on several threads at once (Redis event loop,
 * the group consumer while Redis is down, the bootstrap reader); offering to the cache and calling the
 * listener happen under one lock so that a listener never sees seq 6 and then seq 5 of a symbol.
 */
final class Delivery {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    private final Object lock = new Object();
    private final LatestValueCache cache;
    private final QuoteListener quotes;
    private final ControlListener control;
    private final BridgeMetrics metrics;

    Delivery(LatestValueCache cache, QuoteListener quotes, ControlListener control, BridgeMetrics metrics) {
        this.cache = cache;
        this.quotes = quotes;
        this.control = control;
        this.metrics = metrics;
    }

    /**
     * Offers {@code quote} and, when it is new, hands it to the listener with {@code frame} (the price_update
     * bytes as received or published; built here when null). Returns whether it was new.
     */
    boolean quote(StockQuote quote, byte[] frame, Counter path) {
        synchronized (lock) {
            if (!cache.offer(quote)) {
                metrics.duplicatesDropped.increment();
                return false;
            }
            byte[] bytes = frame != null ? frame : JsonCodec.toBytes(PriceUpdate.of(quote, Instant.now()));
            path.increment();
            try {
                quotes.onQuote(quote, bytes);
            } catch (RuntimeException e) {
                metrics.listenerFailures.increment();
                log.warn("quote listener failed on {} seq {}", quote.symbol(), quote.seq(), e);
            }
            return true;
        }
    }

    /** A tombstone for {@code symbol} written at {@code evictedAt}: the symbol leaves the cache (and /api/symbols). */
    void removal(String symbol, Instant evictedAt) {
        synchronized (lock) {
            if (cache.remove(symbol, evictedAt)) {
                metrics.symbolsRemoved.increment();
            }
        }
    }

    void sourceError(ErrorMessage error, byte[] frame) {
        try {
            quotes.onSourceError(error, frame);
        } catch (RuntimeException e) {
            metrics.listenerFailures.increment();
            log.warn("quote listener failed on source error for {}", error.symbol(), e);
        }
    }

    void control(ControlMessage message) {
        try {
            control.onControl(message);
        } catch (RuntimeException e) {
            metrics.listenerFailures.increment();
            log.warn("control listener failed on {}", message.command(), e);
        }
    }
}
