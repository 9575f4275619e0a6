package io.stocktracker.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stocktracker.streams.enrich.DropReason;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The processor's own meters. Every drop reason is registered up front so dashboards see a zero
 * rather than a missing series.
 */
public final class QuoteMetrics {
    public static final String DROPPED = "quotes.dropped";
    public static final String ACCEPTED = "quotes.accepted";
    public static final String DEAD_LETTERED = "quotes.dead.lettered";
    public static final String BARS_EMITTED = "quotes.bars.emitted";
    public static final String BARS_LATE = "quotes.bars.late";
    public static final String INGEST_TO_PROCESS = "quotes.ingest.to.process";
    public static final String SYMBOLS_EVICTED = "symbols.evicted";

    private final MeterRegistry registry;
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final Counter accepted;
    private final Counter deadLettered;
    private final Counter barsEmitted;
    private final Counter barsLate;
    private final Timer ingestToProcess;
    private final Counter symbolsEvicted;

    public QuoteMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, Counter.builder(DROPPED).tag("reason", reason.tag())
                    .description("raw quotes not accepted, by reason").register(registry));
        }
        accepted = Counter.builder(ACCEPTED).description("raw quotes accepted, enriched and published").register(registry);
        deadLettered = Counter.builder(DEAD_LETTERED).description("raw records routed to " + io.stocktracker.schemas.contract.Topics.QUOTES_RAW_DLQ)
                .register(registry);
        barsEmitted = Counter.builder(BARS_EMITTED).description("closed 1-minute bars published").register(registry);
        barsLate = Counter.builder(BARS_LATE).description("accepted quotes that arrived after their bar closed (past the grace period)")
                .register(registry);
        ingestToProcess = Timer.builder(INGEST_TO_PROCESS).description("from the connector's ingestedAt to enrichment")
                .publishPercentiles(0.5, 0.99).register(registry);
        symbolsEvicted = Counter.builder(SYMBOLS_EVICTED)
                .description("symbols whose state was deleted after the idle retention (tombstone on quotes.latest)").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void dropped(DropReason reason) {
        dropped.get(reason).increment();
        if (reason.deadLettered()) {
            deadLettered.increment();
        }
    }

    public void accepted(Duration sinceIngest) {
        accepted.increment();
        if (sinceIngest != null && !sinceIngest.isNegative()) {
            ingestToProcess.record(sinceIngest);
        }
    }

    public void barEmitted() {
        barsEmitted.increment();
    }

    public void symbolEvicted() {
        symbolsEvicted.increment();
    }

    public void barLate() {
        barsLate.increment();
    }

    public double droppedCount(DropReason reason) {
        return dropped.get(reason).count();
    }
}
