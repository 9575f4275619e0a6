package io.stocktracker.schemas.ws;

import io.stocktracker.schemas.contract.ErrorCode;
import java.time.Instant;

/** An error for one client, or (with {@code symbol}) a source failure on the Redis updates channel. */
public record ErrorMessage(ErrorCode code, String message, Instant timestamp, String symbol) implements ServerMessage {
    public static final String TYPE = "error";

    public static ErrorMessage of(ErrorCode code, String message) {
        return new ErrorMessage(code, message, Instant.now(), null);
    }
}
