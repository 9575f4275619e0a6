package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.stocktracker.schemas.model.AlertRule;
import java.time.Instant;

/**
 * Extension: an alert fired at {@code price} (the quote's time is {@code triggeredAt}). With AUTH_MODE=jwt it is
 * delivered at least once, to every connection of the user, until a client acknowledges it ({@code op: ack}): a client
 * shows each {@code alertId} once.
 */
public record AlertTriggered(
        @JsonProperty(required = true) AlertRule alert,
        @JsonProperty(required = true) double price,
        @JsonProperty(required = true) Instant triggeredAt,
        Instant timestamp) implements ServerMessage {
    public static final String TYPE = "alert_triggered";
}
