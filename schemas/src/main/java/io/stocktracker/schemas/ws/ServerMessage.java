package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A frame the edge sends, told apart by {@code type}. {@link PriceUpdate} and {@link ErrorMessage}
 * are also what {@code market-data:updates} carries, so an edge can forward the Redis payload as is.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Connected.class, name = Connected.TYPE),
        @JsonSubTypes.Type(value = PriceUpdate.class, name = PriceUpdate.TYPE),
        @JsonSubTypes.Type(value = BatchUpdate.class, name = BatchUpdate.TYPE),
        @JsonSubTypes.Type(value = ErrorMessage.class, name = ErrorMessage.TYPE),
        @JsonSubTypes.Type(value = Pong.class, name = Pong.TYPE),
        @JsonSubTypes.Type(value = Subscribed.class, name = Subscribed.TYPE),
        @JsonSubTypes.Type(value = Unsubscribed.class, name = Unsubscribed.TYPE),
        @JsonSubTypes.Type(value = TokenExpiring.class, name = TokenExpiring.TYPE),
        @JsonSubTypes.Type(value = TokenRefreshed.class, name = TokenRefreshed.TYPE),
        @JsonSubTypes.Type(value = Alerts.class, name = Alerts.TYPE),
        @JsonSubTypes.Type(value = AlertTriggered.class, name = AlertTriggered.TYPE),
        @JsonSubTypes.Type(value = BarUpdate.class, name = BarUpdate.TYPE)
})
public sealed interface ServerMessage
        permits Connected, PriceUpdate, BatchUpdate, ErrorMessage, Pong, Subscribed, Unsubscribed, TokenExpiring, TokenRefreshed,
        Alerts, AlertTriggered, BarUpdate {
}
