package io.stocktracker.ingest.source;

import java.util.List;
import java.util.Map;

/**
 * A provider of quotes. {@link #fetch} answers every requested symbol, with a quote or a typed
 * failure, and never throws for provider trouble: the scheduler's fallback chain relies on that.
 */
public interface QuoteSource extends AutoCloseable {

    /** Provider name as it appears in RawQuote.source, metrics and INGEST_SOURCES (lower case). */
    String name();

    /** One entry per requested symbol, in any order. */
    Map<String, FetchResult> fetch(List<String> symbols);

    /** How many symbols one {@link #fetch} call may carry. */
    default int maxBatchSize() {
        return Integer.MAX_VALUE;
    }

    @Override
    default void close() {
    }
}
