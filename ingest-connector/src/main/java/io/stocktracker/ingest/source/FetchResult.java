package io.stocktracker.ingest.source;

import io.stocktracker.schemas.model.RawQuote;

/** The outcome of fetching one symbol: a quote or a typed failure. */
public sealed interface FetchResult {

    /** @param marketOpen what the provider said about the market (null when it does not say). */
    record Fetched(RawQuote quote, Boolean marketOpen) implements FetchResult {
        public Fetched(RawQuote quote) {
            this(quote, null);
        }
    }

    record Failed(SourceFailure failure) implements FetchResult {
    }

    static FetchResult of(RawQuote quote) {
        return new Fetched(quote);
    }

    static FetchResult of(RawQuote quote, Boolean marketOpen) {
        return new Fetched(quote, marketOpen);
    }

    static FetchResult failed(SourceFailure.Reason reason, String detail) {
        return new Failed(SourceFailure.of(reason, detail));
    }

    default boolean ok() {
        return this instanceof Fetched;
    }
}
