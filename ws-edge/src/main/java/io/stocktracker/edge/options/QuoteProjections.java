package io.stocktracker.edge.options;

import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.PriceUpdate;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cut-down quotes for subscriptions with {@code fields}, encoded once per update per distinct field set and format:
 * the fan-out hands every subscriber the same update in turn, so remembering the last one per field set is enough
 * for all subscribers that asked for the same fields to share one frame (and one batch entry). At most 2^14 field
 * sets x 2 formats can be remembered, one quote each.
 */
public final class QuoteProjections {
    private record Key(QuoteFields fields, WireFormat format) {
    }

    private record Last(StockQuote source, PendingQuote projected) {
    }

    private final ConcurrentHashMap<Key, Last> last = new ConcurrentHashMap<>();

    PendingQuote project(PendingQuote quote, QuoteFields fields, WireFormat format) {
        Key key = new Key(fields, format);
        Last l = last.get(key);
        if (l != null && l.source() == quote.quote()) {
            return l.projected();
        }
        StockQuote cut = fields.project(quote.quote());
        PendingQuote projected = new PendingQuote(quote.symbol(), cut, format.encode(PriceUpdate.of(cut, Instant.now())));
        // two fan-out threads racing on one field set at worst encode twice
        last.put(key, new Last(quote.quote(), projected));
        return projected;
    }
}
