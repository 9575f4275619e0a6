package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code {"action":"subscribe","symbols":[...]}}. Extensions: {@code since} maps a symbol to the last
 * seq the client holds, so the edge answers with a snapshot only when it has something newer;
 * {@code options} shape every symbol of the message, {@code symbolOptions} one symbol (its options override
 * the message's one by one); {@code bars: true} adds a {@link BarUpdate} stream (each closed 1-minute bar)
 * for the symbols named, and a subscribe without it turns that stream off for them.
 */
public record Subscribe(
        @JsonProperty(required = true) List<String> symbols,
        String clientId,
        Map<String, Long> since,
        SubscriptionOptions options,
        Map<String, SubscriptionOptions> symbolOptions,
        Boolean bars) implements ClientMessage {
    public static final String ACTION = "subscribe";
    public static final String OPTIONS = "options";
    public static final String SYMBOL_OPTIONS = "symbolOptions";
    /** Entries of {@code symbolOptions}, checked before any symbol is. */
    public static final int MAX_SYMBOL_OPTIONS = 100;

    public Subscribe(List<String> symbols) {
        this(symbols, null, null);
    }

    public Subscribe(List<String> symbols, String clientId, Map<String, Long> since) {
        this(symbols, clientId, since, null, null, null);
    }

    public boolean wantsBars() {
        return Boolean.TRUE.equals(bars);
    }
}
