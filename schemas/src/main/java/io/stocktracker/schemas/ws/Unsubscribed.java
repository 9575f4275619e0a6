package io.stocktracker.schemas.ws;

import java.time.Instant;
import java.util.List;

/** Extension: acknowledges an unsubscribe. */
public record Unsubscribed(List<String> symbols, Instant timestamp) implements ServerMessage {
    public static final String TYPE = "unsubscribed";
}
