package io.stocktracker.schemas.ws;

import java.time.Instant;

/** {@code {"action":"ping","timestamp":...}}; the edge echoes the timestamp in its pong. */
public record Ping(Instant timestamp) implements ClientMessage {
    public static final String ACTION = "ping";
}
