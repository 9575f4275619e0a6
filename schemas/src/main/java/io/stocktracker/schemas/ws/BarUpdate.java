package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.stocktracker.schemas.model.Bar;
import java.time.Instant;

/**
 * Extension: a closed 1-minute bar of a symbol the connection subscribed to with {@code bars: true}, as read from
 * {@code quotes.bars.1m}. The bar still forming is the client's to draw from the price updates.
 */
public record BarUpdate(
        @JsonProperty(required = true) Bar bar,
        Instant timestamp) implements ServerMessage {
    public static final String TYPE = "bar_update";
}
