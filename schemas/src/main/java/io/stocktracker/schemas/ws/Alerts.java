package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.stocktracker.schemas.model.AlertRule;
import java.time.Instant;
import java.util.List;

/**
 * Extension: the answer to every {@link Alert}: the connection's (AUTH_MODE=none) or the user's (AUTH_MODE=jwt)
 * alerts that have not fired, after the operation. {@code created} names the alert a create made.
 */
public record Alerts(@JsonProperty(required = true) List<AlertRule> alerts, String created, Instant timestamp)
        implements ServerMessage {
    public static final String TYPE = "alerts";
}
