package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** Sent once on open. Extension fields: the edge's id and its heartbeat interval. */
public record Connected(
        String message,
        @JsonProperty(required = true) String clientId,
        Instant timestamp,
        String edgeId,
        Long heartbeatIntervalMs) implements ServerMessage {
    public static final String TYPE = "connected";
    public static final String WELCOME = "Connected to Stock Tracker WebSocket";
}
