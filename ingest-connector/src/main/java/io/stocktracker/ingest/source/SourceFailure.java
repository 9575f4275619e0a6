package io.stocktracker.ingest.source;

/**
 * Why a source could not deliver a quote for a symbol. Typed so the scheduler can decide what to do
 * (retry, fall back, open the breaker, back off the budget) without parsing messages; a failure never
 * becomes a zero price.
 */
public record SourceFailure(Reason reason, String detail) {

    public enum Reason {
        /** The provider's quota is spent (HTTP 429, AlphaVantage "Note"/"Information"). Back off, fall back. */
        RATE_LIMITED(false, false),
        /** The provider does not know the symbol. Another provider may. */
        UNKNOWN_SYMBOL(false, false),
        /** The provider answered with an error of its own (bad key, bad request). */
        PROVIDER_ERROR(false, true),
        /** A non-2xx status or a broken connection. */
        HTTP_ERROR(true, true),
        /** No answer within the request timeout. */
        TIMEOUT(true, true),
        /** An answer that is not the documented shape, or a missing/invalid price. */
        MALFORMED(false, true),
        /** The provider's circuit breaker is open: it was not called. */
        CIRCUIT_OPEN(false, false);

        private final boolean retryable;
        private final boolean unhealthy;

        Reason(boolean retryable, boolean unhealthy) {
            this.retryable = retryable;
            this.unhealthy = unhealthy;
        }

        /** Worth another attempt after a short backoff within the same cycle. */
        public boolean retryable() {
            return retryable;
        }

        /** Says the provider itself is unwell: counts towards opening its circuit breaker. */
        public boolean unhealthy() {
            return unhealthy;
        }
    }

    public SourceFailure {
        if (reason == null) {
            throw new IllegalArgumentException("reason is required");
        }
        detail = detail == null ? reason.name() : detail;
    }

    public static SourceFailure of(Reason reason, String detail) {
        return new SourceFailure(reason, detail);
    }
}
