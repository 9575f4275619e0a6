package io.stocktracker.edge.options;

import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.SubscriptionOptions;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/**
 * A subscription's {@code fields}: which of the quote's fields a client is sent. The names are StockQuote's
 * components (its wire names); {@link SubscriptionOptions#ALWAYS_SENT} are kept whatever the client asked, so every
 * cut-down quote is still a valid quote with a seq to order and resume by. One bit per field: two subscriptions with
 * the same fields are equal, which lets them share one encoding per update.
 */
record QuoteFields(int mask) {
    static final List<String> NAMES = Arrays.stream(StockQuote.class.getRecordComponents()).map(RecordComponent::getName).toList();
    private static final int ALWAYS = bits(SubscriptionOptions.ALWAYS_SENT);
    private static final int CHANGE = bit("change");
    private static final int CHANGE_PERCENT = bit("changePercent");
    private static final int VOLUME = bit("volume");
    private static final int HIGH = bit("high");
    private static final int LOW = bit("low");
    private static final int OPEN = bit("open");
    private static final int PREVIOUS_CLOSE = bit("previousClose");
    private static final int TIMESTAMP = bit("timestamp");
    private static final int SOURCE = bit("source");
    private static final int INGESTED_AT = bit("ingestedAt");
    private static final int PROCESSED_AT = bit("processedAt");

    static boolean known(String name) {
        return NAMES.contains(name);
    }

    /** Names checked by {@link OptionsCheck}. */
    static QuoteFields of(List<String> names) {
        return new QuoteFields(bits(names) | ALWAYS);
    }

    StockQuote project(StockQuote q) {
        return new StockQuote(q.symbol(), q.price(),
                has(CHANGE) ? q.change() : null,
                has(CHANGE_PERCENT) ? q.changePercent() : null,
                has(VOLUME) ? q.volume() : null,
                has(HIGH) ? q.high() : null,
                has(LOW) ? q.low() : null,
                has(OPEN) ? q.open() : null,
                has(PREVIOUS_CLOSE) ? q.previousClose() : null,
                has(TIMESTAMP) ? q.timestamp() : null,
                has(SOURCE) ? q.source() : null,
                q.seq(),
                has(INGESTED_AT) ? q.ingestedAt() : null,
                has(PROCESSED_AT) ? q.processedAt() : null);
    }

    private boolean has(int bit) {
        return (mask & bit) != 0;
    }

    private static int bits(List<String> names) {
        int m = 0;
        for (String n : names) {
            m |= bit(n);
        }
        return m;
    }

    private static int bit(String name) {
        int i = NAMES.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("not a StockQuote field: " + name);
        }
        return 1 << i;
    }
}
