package io.stocktracker.streams.enrich;

/**
 * Why a raw record was not accepted: the {@code reason} tag of {@code quotes.dropped} and, for the
 * dead-lettered ones, the value of the {@code dlq.reason} header.
 *
 * <p>Bad input goes to the dead-letter topic so someone can look at it. Duplicates and out-of-order
 * quotes are normal traffic (a source polled faster than it updates, a slower fallback provider) and
 * are only counted: dead-lettering them would flood the topic with perfectly good data.
 */
public enum DropReason {
    UNDECODABLE("undecodable", true),
    INVALID_SYMBOL("invalid_symbol", true),
    KEY_MISMATCH("key_mismatch", true),
    INVALID_PRICE("invalid_price", true),
    INVALID_FIELD("invalid_field", true),
    MISSING_TIMESTAMP("missing_timestamp", true),
    FUTURE_TIMESTAMP("future_timestamp", true),
    DUPLICATE("duplicate", false),
    OUT_OF_ORDER("out_of_order", false);

    private final String tag;
    private final boolean deadLettered;

    DropReason(String tag, boolean deadLettered) {
        this.tag = tag;
        this.deadLettered = deadLettered;
    }

    public String tag() {
        return tag;
    }

    public boolean deadLettered() {
        return deadLettered;
    }
}
