package io.stocktracker.schemas.ws;

import java.time.Instant;

/** Answer to a ping. Extension: {@code echo} carries the ping's own timestamp for round-trip latency. */
public record Pong(Instant timestamp, Instant echo) implements ServerMessage {
    public static final String TYPE = "pong";
}
