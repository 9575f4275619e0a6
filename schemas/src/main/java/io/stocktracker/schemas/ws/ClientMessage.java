package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A frame a browser sends, told apart by {@code action}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "action")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Subscribe.class, name = Subscribe.ACTION),
        @JsonSubTypes.Type(value = Unsubscribe.class, name = Unsubscribe.ACTION),
        @JsonSubTypes.Type(value = Ping.class, name = Ping.ACTION),
        @JsonSubTypes.Type(value = Refresh.class, name = Refresh.ACTION),
        @JsonSubTypes.Type(value = Alert.class, name = Alert.ACTION)
})
public sealed interface ClientMessage permits Subscribe, Unsubscribe, Ping, Refresh, Alert {
}
