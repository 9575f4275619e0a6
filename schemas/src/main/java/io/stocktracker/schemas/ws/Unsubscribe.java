package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code {"action":"unsubscribe","symbols":[...]}}. */
public record Unsubscribe(
        @JsonProperty(required = true) List<String> symbols,
        String clientId) implements ClientMessage {
    public static final String ACTION = "unsubscribe";

    public Unsubscribe(List<String> symbols) {
        this(symbols, null);
    }
}
