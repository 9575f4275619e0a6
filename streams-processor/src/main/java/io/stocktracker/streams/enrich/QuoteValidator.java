package io.stocktracker.streams.enrich;

import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.model.RawQuote;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Stateless checks on one raw quote. The record key must equal the normalized symbol: the key decides
 * the partition and so which task owns the symbol's state; a record whose key disagrees would build a
 * second, conflicting seq for the same symbol on another partition, so it is dead-lettered instead.
 */
public final class QuoteValidator {
    private final Duration maxFutureSkew;

    public QuoteValidator(Duration maxFutureSkew) {
        this.maxFutureSkew = maxFutureSkew;
    }

    /** The normalized symbol, or why the quote is invalid. */
    public Result validate(String key, RawQuote quote, Instant now) {
        Optional<String> symbol = Symbols.normalize(quote.symbol());
        if (symbol.isEmpty()) {
            return Result.invalid(DropReason.INVALID_SYMBOL, "symbol '" + quote.symbol() + "' does not match " + Symbols.PATTERN_TEXT);
        }
        if (key == null || !key.equals(symbol.get())) {
            return Result.invalid(DropReason.KEY_MISMATCH, "record key '" + key + "' is not the symbol " + symbol.get());
        }
        if (!Double.isFinite(quote.price()) || quote.price() <= 0) {
            return Result.invalid(DropReason.INVALID_PRICE, "price " + quote.price() + " is not a positive number");
        }
        String badField = firstBadField(quote);
        if (badField != null) {
            return Result.invalid(DropReason.INVALID_FIELD, badField);
        }
        if (quote.timestamp() == null) {
            return Result.invalid(DropReason.MISSING_TIMESTAMP, "timestamp is missing");
        }
        if (quote.timestamp().isAfter(now.plus(maxFutureSkew))) {
            // one quote from a source with a wrong clock would otherwise block the symbol as out-of-order
            return Result.invalid(DropReason.FUTURE_TIMESTAMP, "timestamp " + quote.timestamp() + " is more than "
                    + maxFutureSkew.toMillis() + " ms ahead of " + now);
        }
        return new Result(symbol.get(), null, null);
    }

    private static String firstBadField(RawQuote q) {
        String bad = nonNegative("open", q.open());
        bad = bad != null ? bad : nonNegative("high", q.high());
        bad = bad != null ? bad : nonNegative("low", q.low());
        bad = bad != null ? bad : nonNegative("previousClose", q.previousClose());
        if (bad == null && q.volume() != null && q.volume() < 0) {
            bad = "volume " + q.volume() + " is negative";
        }
        return bad;
    }

    private static String nonNegative(String name, Double value) {
        if (value != null && (!Double.isFinite(value) || value < 0)) {
            return name + " " + value + " is not a non-negative number";
        }
        return null;
    }

    public record Result(String symbol, DropReason reason, String detail) {
        static Result invalid(DropReason reason, String detail) {
            return new Result(null, reason, detail);
        }

        public boolean valid() {
            return reason == null;
        }
    }
}
