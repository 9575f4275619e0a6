package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code {"action":"subscribe","symbols":[...]}}. Extension: {@code since} maps a symbol to the last
 * seq the client holds, so the edge answers with a snapshot only when it has something newer. Extension:
 * {@code bars: true} adds a {@link BarUpdate} stream (each closed 1-minute bar) for the symbols named; a subscribe
 * without it turns that stream off for them.
 */
public record Subscribe(
        @JsonProperty(required = true) List<String> symbols,
        String clientId,
        Map<String, Long> since,
        Boolean bars) implements ClientMessage {
    public static final String ACTION = "subscribe";

    public Subscribe(List<String> symbols) {
        this(symbols, null, null);
    }

    public Subscribe(List<String> symbols, String clientId, Map<String, Long> since) {
        this(symbols, clientId, since, null);
    }

    public boolean wantsBars() {
        return Boolean.TRUE.equals(bars);
    }
}
