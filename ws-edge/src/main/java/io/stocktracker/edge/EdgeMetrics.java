package io.stocktracker.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.model.StockQuote;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The seed's monitoring list as Prometheus meters: active connections, messages in/out (rate() gives
 * messages/s), quote latency, errors by code, reconnections, subscriptions per symbol (top N), slow-client
 * conflations and disconnects, JVM memory and CPU.
 */
public final class EdgeMetrics implements AutoCloseable {
    /** Per-symbol subscriber gauges are limited to the busiest symbols to keep cardinality bounded. */
    public static final int TOP_SYMBOLS = 100;

    private final MeterRegistry registry;
    public final Counter messagesIn;
    public final Counter framesOut;
    public final Counter quotesOut;
    public final Counter connectionsOpened;
    public final Counter reconnections;
    public final Counter conflations;
    public final Counter slowConsumerDisconnects;
    public final Counter rejectedConnections;
    private final Timer latencyFromProcessed;
    private final Timer latencyFromIngested;
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Map<CloseCode, Counter> closes = new EnumMap<>(CloseCode.class);
    private MultiGauge symbolSubscribers;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public EdgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        messagesIn = Counter.builder("stocktracker.edge.messages.in").description("Client frames received").register(registry);
        framesOut = Counter.builder("stocktracker.edge.messages.out").description("Frames written to clients").register(registry);
        quotesOut = Counter.builder("stocktracker.edge.quotes.out").description("Quote deliveries (a batch counts each quote)").register(registry);
        connectionsOpened = Counter.builder("stocktracker.edge.connections.opened").register(registry);
        reconnections = Counter.builder("stocktracker.edge.reconnections")
                .description("Connections that resumed (clientId query parameter or subscribe with since)").register(registry);
        conflations = Counter.builder("stocktracker.edge.slow.conflations")
                .description("Pending quotes replaced by a newer one before a slow client could take them").register(registry);
        slowConsumerDisconnects = Counter.builder("stocktracker.edge.slow.disconnects").register(registry);
        rejectedConnections = Counter.builder("stocktracker.edge.connections.rejected")
                .description("Upgrades refused: unauthorized, connection limits, draining").register(registry);
        latencyFromProcessed = Timer.builder("stocktracker.edge.quote.latency").tag("from", "processed")
                .description("Quote processedAt -> frame handed to the socket (a batch_update counts once, by its first entry)")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram(false)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        latencyFromIngested = Timer.builder("stocktracker.edge.quote.latency").tag("from", "ingested")
                .description("Quote ingestedAt -> frame handed to the socket (a batch_update counts once, by its first entry)")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram(false)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, Counter.builder("stocktracker.edge.errors").tag("code", code.name()).register(registry));
        }
        for (CloseCode code : CloseCode.values()) {
            closes.put(code, Counter.builder("stocktracker.edge.closes").tag("code", code.name()).register(registry));
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    public void bindState(Supplier<Number> activeConnections, Supplier<Number> totalSubscriptions,
                          Supplier<Number> activeSymbols, Supplier<Number> pendingFrames) {
        Gauge.builder("stocktracker.edge.connections.active", activeConnections).register(registry);
        Gauge.builder("stocktracker.edge.subscriptions", totalSubscriptions).register(registry);
        Gauge.builder("stocktracker.edge.symbols.active", activeSymbols).register(registry);
        Gauge.builder("stocktracker.edge.slow.pending", pendingFrames)
                .description("Frames waiting behind in-flight writes, all connections").register(registry);
        symbolSubscribers = MultiGauge.builder("stocktracker.edge.symbol.subscribers")
                .description("Subscribers per symbol (top " + TOP_SYMBOLS + ")").register(registry);
    }

    /** Called before each scrape: per-symbol gauges follow the current top N. */
    public void refreshSymbolGauges(Map<String, Integer> counts) {
        if (symbolSubscribers == null) {
            return;
        }
        symbolSubscribers.register(counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP_SYMBOLS)
                .map(e -> MultiGauge.Row.of(Tags.of("symbol", e.getKey()), e.getValue()))
                .toList(), true);
    }

    public void error(ErrorCode code) {
        errors.get(code).increment();
    }

    public void closed(CloseCode code) {
        closes.get(code).increment();
    }

    public void delivered(StockQuote quote, Instant now) {
        if (quote.processedAt() != null) {
            latencyFromProcessed.record(Duration.between(quote.processedAt(), now).abs());
        }
        if (quote.ingestedAt() != null) {
            latencyFromIngested.record(Duration.between(quote.ingestedAt(), now).abs());
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
    }
}
