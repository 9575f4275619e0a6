package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.stocktracker.schemas.codec.SymbolDeserializer;
import io.stocktracker.schemas.contract.ErrorCode;
import java.time.Instant;

/** An error for one client, or (with {@code symbol}) a source failure on the Redis updates channel. */
public record ErrorMessage(
        @JsonProperty(required = true) ErrorCode code,
        @JsonProperty(required = true) String message,
        Instant timestamp,
        @JsonDeserialize(using = SymbolDeserializer.class) String symbol) implements ServerMessage {
    public static final String TYPE = "error";

    public static ErrorMessage of(ErrorCode code, String message) {
        return new ErrorMessage(code, message, Instant.now(), null);
    }
}
