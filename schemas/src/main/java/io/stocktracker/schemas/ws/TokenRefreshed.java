package io.stocktracker.schemas.ws;

import java.time.Instant;

/**
 * Extension: the answer to a successful {@link Refresh}; {@code expiresAt} is the new token's expiry (absent when
 * the new token does not expire).
 */
public record TokenRefreshed(Instant expiresAt, Instant timestamp) implements ServerMessage {
    public static final String TYPE = "token_refreshed";
}
