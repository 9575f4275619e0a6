package io.stocktracker.ingest.source;

import io.stocktracker.schemas.model.RawQuote;

/** The outcome of fetching one symbol: a quote or a typed failure. */
public sealed interface FetchResult {

    record Fetched(RawQuote quote) implements FetchResult {
    }

    record Failed(SourceFailure failure) implements FetchResult {
    }

    static FetchResult of(RawQuote quote) {
        return new Fetched(quote);
    }

    static FetchResult failed(SourceFailure.Reason reason, String detail) {
        return new Failed(SourceFailure.of(reason, detail));
    }

    default boolean ok() {
        return this instanceof Fetched;
    }
}
