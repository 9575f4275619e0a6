package io.stocktracker.ingest.schedule;

import io.stocktracker.ingest.budget.CircuitBreaker;
import io.stocktracker.ingest.budget.RateBudget;
import io.stocktracker.ingest.source.QuoteSource;

/** One link of the fallback chain: a source with its own budget and circuit breaker. */
public record Provider(QuoteSource source, RateBudget budget, CircuitBreaker breaker) {
    public String name() {
        return source.name();
    }
}
