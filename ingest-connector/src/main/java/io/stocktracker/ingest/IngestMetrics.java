package io.stocktracker.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stocktracker.ingest.schedule.Provider;
import io.stocktracker.ingest.source.SourceFailure;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Every meter of the connector, named once. Prometheus names: ingest_fetches_total, ingest_fetch_failures_total, ... */
public final class IngestMetrics {
    private final MeterRegistry registry;
    private final Counter produced;
    private final Counter produceFailures;
    private final Counter deferred;
    private final Counter cycles;
    private final Timer cycleTime;
    private final AtomicInteger activeSymbols = new AtomicInteger();
    private final AtomicInteger paused = new AtomicInteger();
    private final AtomicInteger redisConnected = new AtomicInteger();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.produced = Counter.builder("ingest.quotes.produced").description("RawQuotes acknowledged by Kafka on quotes.raw").register(registry);
        this.produceFailures = Counter.builder("ingest.quotes.produce.failures").description("RawQuotes Kafka did not accept").register(registry);
        this.deferred = Counter.builder("ingest.symbols.deferred").description("Active symbols left for a later cycle because no budget was left").register(registry);
        this.cycles = Counter.builder("ingest.cycles").description("Fetch cycles run").register(registry);
        this.cycleTime = Timer.builder("ingest.cycle.duration").description("Time of one fetch cycle, fetch to hand-off").register(registry);
        Gauge.builder("ingest.active.symbols", activeSymbols, AtomicInteger::get).description("Symbols being fetched").register(registry);
        Gauge.builder("ingest.paused", paused, AtomicInteger::get).description("1 while paused by market-data:control").register(registry);
        Gauge.builder("ingest.redis.connected", redisConnected, AtomicInteger::get).description("1 while the Redis pub/sub link is up").register(registry);
    }

    /** {@code ingest_leader}: 1 while this instance may fetch (holds the lease, or runs without election). */
    public void leader(java.util.function.BooleanSupplier leading) {
        Gauge.builder("ingest.leader", () -> leading.getAsBoolean() ? 1 : 0)
                .description("1 while this instance holds the leader lease and fetches; 0 on a standby").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Budget-left and breaker-state gauges for one provider of the chain. */
    public void watch(Provider provider, Clock clock) {
        String name = provider.name();
        if (provider.budget().limited()) {
            Gauge.builder("ingest.budget.remaining", () -> provider.budget().remainingThisMinute(clock.instant()))
                    .tags("provider", name, "window", "minute").description("Credits left in the sliding window").register(registry);
            Gauge.builder("ingest.budget.remaining", () -> provider.budget().remainingToday(clock.instant()))
                    .tags("provider", name, "window", "day").description("Credits left in the sliding window").register(registry);
        }
        provider.budget().pacer().ifPresent(pacer -> {
            Gauge.builder("ingest.budget.remaining", () -> pacer.remainingInPeriod(clock.instant()))
                    .tags("provider", name, "window", "period")
                    .description("Credits left to spread over the rest of this trading window (or off-hours gap)").register(registry);
            Gauge.builder("ingest.budget.next.credit.seconds", () -> pacer.untilNextCredit(clock.instant()).toMillis() / 1000.0)
                    .tags("provider", name).description("Seconds until the pacer grants the next credit (0 = one is available)")
                    .register(registry);
        });
        Supplier<Number> state = () -> switch (provider.breaker().state(clock.instant())) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
        Gauge.builder("ingest.breaker.state", state).tags("provider", name)
                .description("Circuit breaker: 0 closed, 1 half-open, 2 open").register(registry);
    }

    public void fetched(String provider, int symbols) {
        registry.counter("ingest.fetches", "provider", provider, "outcome", "success").increment(symbols);
    }

    public void failed(String provider, SourceFailure.Reason reason) {
        registry.counter("ingest.fetches", "provider", provider, "outcome", "failure").increment();
        registry.counter("ingest.fetch.failures", "provider", provider, "reason", reason.name()).increment();
    }

    public void requested(String provider) {
        registry.counter("ingest.requests", "provider", provider).increment();
    }

    public void retried(String provider) {
        registry.counter("ingest.retries", "provider", provider).increment();
    }

    public void breakerOpened(String provider) {
        registry.counter("ingest.breaker.opened", "provider", provider).increment();
    }

    public void produced() {
        produced.increment();
    }

    public void produceFailed() {
        produceFailures.increment();
    }

    public void deferred(int n) {
        deferred.increment(n);
    }

    public void errorNotification(String code, boolean sent) {
        registry.counter("ingest.error.notifications", "code", code, "outcome", sent ? "sent" : "suppressed").increment();
    }

    public void cycle(long nanos, int active) {
        cycles.increment();
        cycleTime.record(java.time.Duration.ofNanos(nanos));
        activeSymbols.set(active);
    }

    public void paused(boolean value) {
        paused.set(value ? 1 : 0);
    }

    public void redisConnected(boolean value) {
        redisConnected.set(value ? 1 : 0);
    }

    public double counter(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }
}
