package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.stocktracker.schemas.codec.SymbolDeserializer;
import io.stocktracker.schemas.model.StockQuote;
import java.time.Instant;
import java.util.List;

/** Several symbols' quotes in one frame: sent when more than one update waits for a client. */
public record BatchUpdate(
        @JsonProperty(required = true) List<Entry> updates,
        Instant timestamp) implements ServerMessage {
    public static final String TYPE = "batch_update";

    public record Entry(
            @JsonProperty(required = true) @JsonDeserialize(using = SymbolDeserializer.class) String symbol,
            @JsonProperty(required = true) StockQuote data) {
    }
}
