package io.stocktracker.schemas.ws;

import io.stocktracker.schemas.contract.ErrorCode;
import java.time.Instant;
import java.util.List;

/** Extension: acknowledges a subscribe with the symbols accepted and those rejected (with why). */
public record Subscribed(List<String> symbols, List<Rejection> rejected, Instant timestamp) implements ServerMessage {
    public static final String TYPE = "subscribed";

    public record Rejection(String symbol, ErrorCode code, String reason) {
    }
}
