package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.stocktracker.schemas.codec.SymbolDeserializer;
import java.time.Instant;
import java.util.List;

/** Extension: acknowledges an unsubscribe. */
public record Unsubscribed(
        @JsonProperty(required = true) @JsonDeserialize(contentUsing = SymbolDeserializer.class) List<String> symbols,
        Instant timestamp) implements ServerMessage {
    public static final String TYPE = "unsubscribed";
}
