package io.stocktracker.schemas.ws;

import java.util.List;

/**
 * Extension: how a subscription is shaped for one client. Every option absent means every tick, every field.
 * {@code maxRate}: at most that many updates per second per symbol, the newest value delivered when the interval
 * opens; {@code minChangePercent}: only when the price moved at least that much since the last value this client
 * was sent (the snapshot always comes); {@code fields}: the quote fields to send ({@code symbol}, {@code price} and
 * {@code seq} always come).
 */
public record SubscriptionOptions(Double maxRate, Double minChangePercent, List<String> fields) {
    public static final String MAX_RATE = "maxRate";
    public static final String MIN_CHANGE_PERCENT = "minChangePercent";
    public static final String FIELDS = "fields";
    /** Updates per second: one per ten seconds up to a thousand. */
    public static final double MIN_MAX_RATE = 0.1;
    public static final double MAX_MAX_RATE = 1000;
    /** A move in percent of the last price sent: above 0, at most 100. */
    public static final double MAX_MIN_CHANGE_PERCENT = 100;
    /** Entries of {@code fields} (the quote has 14 fields). */
    public static final int MAX_FIELDS = 16;
    /** The fields every update keeps whatever {@code fields} says: the quote's required ones and the resume key. */
    public static final List<String> ALWAYS_SENT = List.of("symbol", "price", "seq");
}
