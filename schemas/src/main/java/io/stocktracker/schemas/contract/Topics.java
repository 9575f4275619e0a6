package io.stocktracker.schemas.contract;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Kafka topics: the one place their names and policies are defined. */
public final class Topics {
    /** Every RawQuote a source produced, keyed by symbol: what analytics replays. */
    public static final String QUOTES_RAW = "quotes.raw";
    /** Raw records that could not be decoded; the reason travels in the {@link #DLQ_REASON_HEADER} header. */
    public static final String QUOTES_RAW_DLQ = "quotes.raw.dlq";
    /** Every accepted, enriched StockQuote. */
    public static final String QUOTES_TICKS = "quotes.ticks";
    /** Compacted: the latest StockQuote per symbol, what edges consume. */
    public static final String QUOTES_LATEST = "quotes.latest";
    /** One-minute OHLCV bars per symbol. */
    public static final String QUOTES_BARS_1M = "quotes.bars.1m";
    /**
     * Compacted: the symbol universe, one record per listed symbol keyed by symbol, its value the name of what
     * listed it (a provider, {@code simulated}, {@code replay}, {@code pinned} or {@code allow-list}); a
     * tombstone when it left the universe. Written by ingest-connector, read in full by every edge: a symbol
     * outside it is never subscribed, looked up or fetched.
     */
    public static final String SYMBOLS_UNIVERSE = "symbols.universe";

    /**
     * Compacted: price alerts of AUTH_MODE=jwt users, keyed {@code {user}|{alertId}} (AlertDefinition); a tombstone when
     * the user deleted it or it fired. Written by ws-edge (and the tombstone of a fired alert by streams-processor), read
     * in full by every edge (a user's list) and by the alert evaluation in streams-processor.
     */
    public static final String ALERTS_DEFINITIONS = "alerts.definitions";
    /**
     * Compacted: alerts that fired and no client of the user acknowledged yet, keyed {@code {user}|{alertId}}
     * (AlertFired). Written by streams-processor; every edge reads it in full and relays to that user's connections;
     * the acknowledging edge writes the tombstone, so an alert that fired offline is delivered on the next connect,
     * once. Unacknowledged ones are dropped after the retention.
     */
    public static final String ALERTS_FIRED = "alerts.fired";

    public static final String DLQ_REASON_HEADER = "dlq.reason";

    /** Default partition count; the number of edges that can share the consumer group is capped by it. */
    public static final int DEFAULT_PARTITIONS = 6;

    /** Topic name -> topic configs, as created by the owning service. */
    public static Map<String, Map<String, String>> configs() {
        return Map.of(
                QUOTES_RAW, retained(Duration.ofDays(7)),
                QUOTES_RAW_DLQ, retained(Duration.ofDays(7)),
                QUOTES_TICKS, retained(Duration.ofDays(7)),
                QUOTES_BARS_1M, retained(Duration.ofDays(30)),
                QUOTES_LATEST, Map.of(
                        "cleanup.policy", "compact",
                        // compact soon enough that a cold edge replays little more than one value per symbol
                        "min.cleanable.dirty.ratio", "0.1",
                        "segment.ms", String.valueOf(Duration.ofMinutes(10).toMillis())),
                SYMBOLS_UNIVERSE, Map.of(
                        "cleanup.policy", "compact",
                        "min.cleanable.dirty.ratio", "0.1",
                        "segment.ms", String.valueOf(Duration.ofHours(1).toMillis())),
                ALERTS_DEFINITIONS, Map.of(
                        "cleanup.policy", "compact",
                        "min.cleanable.dirty.ratio", "0.1",
                        "segment.ms", String.valueOf(Duration.ofHours(1).toMillis())),
                // compacted so an acknowledged alert is gone for good; deleted too, so a user who never returns does not
                // keep a pending alert forever
                ALERTS_FIRED, Map.of(
                        "cleanup.policy", "compact,delete",
                        "retention.ms", String.valueOf(Duration.ofDays(7).toMillis()),
                        "min.cleanable.dirty.ratio", "0.1",
                        "segment.ms", String.valueOf(Duration.ofHours(1).toMillis())));
    }

    public static List<String> all() {
        return List.of(QUOTES_RAW, QUOTES_RAW_DLQ, QUOTES_TICKS, QUOTES_LATEST, QUOTES_BARS_1M, SYMBOLS_UNIVERSE,
                ALERTS_DEFINITIONS, ALERTS_FIRED);
    }

    private static Map<String, String> retained(Duration retention) {
        return Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(retention.toMillis()));
    }

    private Topics() {}
}
