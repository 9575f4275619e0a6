package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Extension: sent once, the edge's refresh window before the connection's token expires; the client answers
 * with a {@link Refresh} or is closed with 4001 at {@code expiresAt}.
 */
public record TokenExpiring(@JsonProperty(required = true) Instant expiresAt, Instant timestamp) implements ServerMessage {
    public static final String TYPE = "token_expiring";
}
