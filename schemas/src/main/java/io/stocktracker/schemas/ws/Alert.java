package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Extension: {@code {"action":"alert","op":...}} creates ({@code symbol} and one of {@code above}, {@code below},
 * {@code movePercent} + {@code windowSeconds}), lists, deletes ({@code alertId}) a price alert, or acknowledges
 * ({@code alertId}) an {@link AlertTriggered} so it is not delivered again. Answered by {@link Alerts}.
 */
public record Alert(
        @JsonProperty(required = true) Op op,
        String alertId,
        String symbol,
        Double above,
        Double below,
        Double movePercent,
        Integer windowSeconds) implements ClientMessage {
    public static final String ACTION = "alert";

    public enum Op { create, list, delete, ack }
}
