package io.stocktracker.schemas.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.stocktracker.schemas.codec.SymbolDeserializer;
import java.time.Duration;
import java.time.Instant;

/**
 * One price alert: exactly one of {@code above}, {@code below} or {@code movePercent} (with {@code windowSeconds}).
 * An alert fires once and is then gone. What the client sees in {@code alerts} and {@code alert_triggered}, and what
 * {@code alerts.definitions} and {@code alerts.fired} carry.
 */
public record AlertRule(
        @JsonProperty(required = true) String alertId,
        @JsonProperty(required = true) @JsonDeserialize(using = SymbolDeserializer.class) String symbol,
        Double above,
        Double below,
        Double movePercent,
        Integer windowSeconds,
        Instant createdAt) {
    /** An alert id: what the edge makes on create, and all a delete or an ack may name. */
    public static final String ID_PATTERN_TEXT = "^[A-Za-z0-9_-]{1,64}$";
    public static final java.util.regex.Pattern ID_PATTERN = java.util.regex.Pattern.compile(ID_PATTERN_TEXT);
    /** The longest movePercent window: one day. */
    public static final int MAX_WINDOW_SECONDS = 86_400;
    public static final double MAX_MOVE_PERCENT = 100.0;

    /**
     * Where a {@code movePercent} alert's current window started and the first price in it. Windows tumble, by quote
     * time, from the first quote the alert sees: a move is measured against the window's first price, so one
     * reference price per alert is all the state there is (no price history).
     */
    public record Window(double reference, Instant startedAt) {
    }

    /** The outcome of one quote: fired or not, and the window to keep for the next quote (null if none is needed). */
    public record Check(boolean fired, Window window) {
    }

    /** Pure: the same rule, window and quote always give the same answer, wherever it is evaluated. */
    public Check check(double price, Instant at, Window window) {
        if (above != null) {
            return new Check(price >= above, null);
        }
        if (below != null) {
            return new Check(price <= below, null);
        }
        if (movePercent == null || windowSeconds == null) {
            return new Check(false, null);
        }
        if (window == null || window.reference() <= 0
                || !at.isBefore(window.startedAt().plus(Duration.ofSeconds(windowSeconds)))) {
            return new Check(false, new Window(price, at));
        }
        double moved = Math.abs(price - window.reference()) / window.reference() * 100.0;
        return new Check(moved >= movePercent, window);
    }
}
