package io.stocktracker.loadgen.client;

import java.util.List;

/**
 * What the loadgen needs from one server frame. {@code entries} holds one quote for a price_update and
 * one per element of a batch_update; empty for every other type.
 */
public record Frame(String type, List<Entry> entries, boolean snapshot, List<String> symbols, String code) {

    public static final String PRICE_UPDATE = "price_update";
    public static final String BATCH_UPDATE = "batch_update";
    public static final String SUBSCRIBED = "subscribed";
    public static final String CONNECTED = "connected";
    public static final String ERROR = "error";

    /** One quote: {@code ingestedAtMicros} is epoch microseconds, or -1 when the quote did not carry it. */
    public record Entry(String symbol, long seq, long ingestedAtMicros, String source) {
    }

    public boolean isUpdate() {
        return PRICE_UPDATE.equals(type) || BATCH_UPDATE.equals(type);
    }
}
