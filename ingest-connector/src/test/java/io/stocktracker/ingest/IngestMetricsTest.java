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

    @Test
    void pacedProvidersShowTheirPeriodAndNextCreditAndTheLeaderGaugeFollowsTheLease() {
        MutableClock clock = new MutableClock(Instant.parse("2024-01-10T14:30:00Z")); // the open in New York
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IngestMetrics metrics = new IngestMetrics(registry);
        RateBudget budget = new RateBudget(5, 25,
                new io.stocktracker.ingest.budget.BudgetPacer(io.stocktracker.ingest.budget.TradingWindow.usRegularSession(), 25, 0, 5));
        QuoteSource alphaVantage = new QuoteSource() {
            @Override
            public String name() {
                return "alphavantage";
            }

            @Override
            public Map<String, FetchResult> fetch(List<String> symbols) {
                return Map.of();
            }
        };
        metrics.watch(new Provider(alphaVantage, budget, new CircuitBreaker(1, Duration.ofSeconds(30))), clock);
        boolean[] leading = {true};
        metrics.leader(() -> leading[0]);

        assertThat(registry.scrape()).contains("ingest_budget_next_credit_seconds{provider=\"alphavantage\"} 0.0", "ingest_leader 1.0");
        budget.tryAcquire(1, clock.instant());
        leading[0] = false;

        String text = registry.scrape();
        assertThat(text).contains("ingest_budget_remaining{provider=\"alphavantage\",window=\"period\"} 24.0");
        assertThat(text).contains("ingest_budget_next_credit_seconds{provider=\"alphavantage\"} 975.0"); // 390 min / 24
        assertThat(text).contains("ingest_leader 0.0");
    }
}
