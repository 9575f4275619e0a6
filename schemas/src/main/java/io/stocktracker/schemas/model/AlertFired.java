package io.stocktracker.schemas.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A value of {@code alerts.fired} (compacted, key {@code {user}|{alertId}}): an alert that fired and is pending until
 * the user's client acknowledges it, which writes the tombstone. {@code price} is the quote's price, {@code
 * triggeredAt} its time.
 */
public record AlertFired(
        @JsonProperty(required = true) String user,
        @JsonProperty(required = true) AlertRule alert,
        @JsonProperty(required = true) double price,
        @JsonProperty(required = true) Instant triggeredAt) {
}
