package io.stocktracker.schemas.redis;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.stocktracker.schemas.codec.SymbolDeserializer;
import java.time.Instant;
import java.util.List;

/** On {@code market-data:subscriptions}: an edge's interest in symbols went 0->1 (subscribe) or 1->0. */
public record SubscriptionChange(
        @JsonProperty(required = true) String type,
        @JsonProperty(required = true) Action action,
        @JsonProperty(required = true) @JsonDeserialize(contentUsing = SymbolDeserializer.class) List<String> symbols,
        String edgeId,
        Instant timestamp) {
    public static final String TYPE = "subscription_change";

    public enum Action {
        subscribe, unsubscribe
    }

    public static SubscriptionChange of(Action action, List<String> symbols, String edgeId) {
        return new SubscriptionChange(TYPE, action, symbols, edgeId, Instant.now());
    }
}
