package io.stocktracker.ingest.schedule;

import java.util.List;

/** Where "every source failed for this symbol" goes (the Redis updates channel in production). */
@FunctionalInterface
public interface FailureSink {
    void sourceFailed(String symbol, List<ProviderChain.Attempt> attempts);
}
