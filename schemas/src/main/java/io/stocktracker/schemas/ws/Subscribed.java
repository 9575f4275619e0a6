package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.stocktracker.schemas.codec.SymbolDeserializer;
import io.stocktracker.schemas.contract.ErrorCode;
import java.time.Instant;
import java.util.List;

/** Extension: acknowledges a subscribe with the symbols accepted and those rejected (with why). */
public record Subscribed(
        @JsonProperty(required = true) @JsonDeserialize(contentUsing = SymbolDeserializer.class) List<String> symbols,
        List<Rejection> rejected,
        Instant timestamp) implements ServerMessage {
    public static final String TYPE = "subscribed";

    /** {@code symbol} is as the client sent it, so it need not be a valid symbol. */
    public record Rejection(@JsonProperty(required = true) String symbol, @JsonProperty(required = true) ErrorCode code, String reason) {
    }
}
