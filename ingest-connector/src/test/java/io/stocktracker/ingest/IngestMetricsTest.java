package io.stocktracker.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stocktracker.ingest.budget.CircuitBreaker;
import io.stocktracker.ingest.budget.RateBudget;
import io.stocktracker.ingest.schedule.Provider;
import io.stocktracker.ingest.source.FetchResult;
import io.stocktracker.ingest.source.QuoteSource;
import io.stocktracker.ingest.source.SourceFailure.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestMetricsTest {

    @Test
    void prometheusShowsBudgetLeftBreakerStateAndFailuresByProviderAndReason() {
        MutableClock clock = new MutableClock(Instant.parse("2024-01-10T15:00:00Z"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IngestMetrics metrics = new IngestMetrics(registry);
        RateBudget budget = new RateBudget(8, 800);
        CircuitBreaker breaker = new CircuitBreaker(1, Duration.ofSeconds(30));
        QuoteSource twelveData = new QuoteSource() {
            @Override
            public String name() {
                return "twelvedata";
            }

            @Override
            public Map<String, FetchResult> fetch(List<String> symbols) {
                return Map.of();
            }
        };
        metrics.watch(new Provider(twelveData, budget, breaker), clock);

        budget.tryAcquire(3, clock.instant());
        breaker.recordFailure(clock.instant());
        metrics.failed("twelvedata", Reason.RATE_LIMITED);
        metrics.fetched("twelvedata", 2);
        metrics.produced();

        String text = registry.scrape();
        assertThat(text).contains("ingest_budget_remaining{provider=\"twelvedata\",window=\"minute\"} 5.0");
        assertThat(text).contains("ingest_budget_remaining{provider=\"twelvedata\",window=\"day\"} 797.0");
        assertThat(text).contains("ingest_breaker_state{provider=\"twelvedata\"} 2.0");
        assertThat(text).contains("ingest_fetch_failures_total{provider=\"twelvedata\",reason=\"RATE_LIMITED\"} 1.0");
        assertThat(text).contains("ingest_fetches_total{outcome=\"success\",provider=\"twelvedata\"} 2.0");
        assertThat(text).contains("ingest_quotes_produced_total 1.0");
    }
}
