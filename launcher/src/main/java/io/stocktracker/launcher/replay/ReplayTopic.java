package io.stocktracker.launcher.replay;

import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.schemas.model.StockQuote;
import java.util.Locale;

/** The topics analytics may replay, with the record type their values decode to. */
public enum ReplayTopic {
    RAW(Topics.QUOTES_RAW, RawQuote.class),
    TICKS(Topics.QUOTES_TICKS, StockQuote.class);

    private final String topic;
    private final Class<? extends Record> valueType;

    ReplayTopic(String topic, Class<? extends Record> valueType) {
        this.topic = topic;
        this.valueType = valueType;
    }

    public String topic() {
        return topic;
    }

    public Class<? extends Record> valueType() {
        return valueType;
    }

    /** "raw", "ticks", or the full topic name. */
    public static ReplayTopic parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ReplayTopic r : values()) {
            if (r.topic.equals(t) || r.name().toLowerCase(Locale.ROOT).equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException("cannot replay '" + text + "'; one of: raw (" + Topics.QUOTES_RAW + "), ticks ("
                + Topics.QUOTES_TICKS + ")");
    }
}
