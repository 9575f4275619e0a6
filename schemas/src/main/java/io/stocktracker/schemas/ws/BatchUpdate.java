package io.stocktracker.schemas.ws;

import io.stocktracker.schemas.model.StockQuote;
import java.time.Instant;
import java.util.List;

/** Several symbols' quotes in one frame: sent when more than one update waits for a client. */
public record BatchUpdate(List<Entry> updates, Instant timestamp) implements ServerMessage {
    public static final String TYPE = "batch_update";

    public record Entry(String symbol, StockQuote data) {
    }
}
