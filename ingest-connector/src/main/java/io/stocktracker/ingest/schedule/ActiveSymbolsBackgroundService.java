package io.stocktracker.ingest.schedule;

import io.stocktracker.ingest.IngestMetrics;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's ActiveSymbolsBackgroundService, done properly: every interval it takes the active symbols,
 * orders them by demand and staleness, lets the provider chain serve them within budget, hands each
 * quote to the sink and each symbol every source failed to the failure sink. Cycles never overlap (one
 * thread, fixed delay) and a failing cycle is logged, never fatal. Paused means no fetching at all.
 */
public final class ActiveSymbolsBackgroundService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ActiveSymbolsBackgroundService.class);
    /** The id this service answers to on market-data:control besides "*". */
    public static final String CONTROL_TARGET = "ingest";

    private final ActiveSymbols activeSymbols;
    private final FetchPlanner planner;
    private final ProviderChain chain;
    private final QuoteSink quotes;
    private final FailureSink failures;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final Map<String, Instant> lastFetched = new ConcurrentHashMap<>();
    /** Symbols whose market a provider said is closed, left alone until then (no credits spent on a flat quote). */
    private final Map<String, Instant> restingUntil = new ConcurrentHashMap<>();
    private final Duration closedMarketInterval;
    private final AtomicBoolean paused = new AtomicBoolean();
    /** False while another instance leads (or our lease is running out): no fetching at all. */
    private volatile BooleanSupplier leading = () -> true;
    private ScheduledExecutorService executor;

    /** @param closedMarketInterval how often a symbol whose market is closed is fetched (zero: every cycle) */
    public ActiveSymbolsBackgroundService(ActiveSymbols activeSymbols, FetchPlanner planner, ProviderChain chain,
                                          QuoteSink quotes, FailureSink failures, IngestMetrics metrics, Clock clock,
                                          Duration closedMarketInterval) {
        this.activeSymbols = activeSymbols;
        this.planner = planner;
        this.chain = chain;
        this.quotes = quotes;
        this.failures = failures;
        this.metrics = metrics;
        this.clock = clock;
        this.closedMarketInterval = closedMarketInterval;
    }

    /** Fetch only while {@code leading} says so (the leader lease); checked before every provider request. */
    public void leadWhile(BooleanSupplier leading) {
        this.leading = leading;
    }

    public synchronized void start(Duration interval) {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-scheduler");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::safeCycle, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void safeCycle() {
        try {
            runCycle();
        } catch (RuntimeException e) {
            log.error("fetch cycle failed; the next one runs as scheduled", e);
        }
    }

    /** One cycle; returns what the chain did, or null when paused or not leading. */
    public ProviderChain.Outcome runCycle() {
        if (paused.get() || !leading.getAsBoolean()) {
            return null;
        }
        long start = System.nanoTime();
        Map<String, Integer> demand = activeSymbols.demand();
        lastFetched.keySet().retainAll(demand.keySet());
        restingUntil.keySet().retainAll(demand.keySet());
        Instant now = clock.instant();
        List<String> order = planner.prioritize(demand, lastFetched).stream()
                .filter(s -> !now.isBefore(restingUntil.getOrDefault(s, Instant.MIN)))
                .toList();
        ProviderChain.Outcome outcome = chain.fetch(order, leading);
        for (RawQuote quote : outcome.quotes()) {
            lastFetched.put(quote.symbol(), clock.instant());
            if (outcome.marketClosed().contains(quote.symbol()) && !closedMarketInterval.isZero()) {
                restingUntil.put(quote.symbol(), clock.instant().plus(closedMarketInterval));
            } else {
                restingUntil.remove(quote.symbol());
            }
            quotes.publish(quote);
        }
        outcome.failed().forEach(failures::sourceFailed);
        if (!outcome.deferred().isEmpty()) {
            metrics.deferred(outcome.deferred().size());
        }
        metrics.cycle(System.nanoTime() - start, demand.size());
        return outcome;
    }

    public void onControl(ControlMessage message) {
        if (message == null || message.command() == null || !message.targets(CONTROL_TARGET)) {
            return;
        }
        switch (message.command()) {
            case pause -> pause();
            case resume -> resume();
            case drain -> { } // edges drain; ingest has no clients
        }
    }

    public void pause() {
        if (!paused.getAndSet(true)) {
            log.info("paused by control message: no fetching until resume");
        }
        metrics.paused(true);
    }

    public void resume() {
        if (paused.getAndSet(false)) {
            log.info("resumed by control message");
        }
        metrics.paused(false);
    }

    public boolean paused() {
        return paused.get();
    }

    public Map<String, Instant> lastFetched() {
        return Map.copyOf(lastFetched);
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("fetch cycle did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }
}
