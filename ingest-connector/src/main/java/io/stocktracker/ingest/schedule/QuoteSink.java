package io.stocktracker.ingest.schedule;

import io.stocktracker.schemas.model.RawQuote;

/** Where fetched quotes go (Kafka in production). */
@FunctionalInterface
public interface QuoteSink {
    void publish(RawQuote quote);
}
