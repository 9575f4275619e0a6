package io.stocktracker.streams.topology;

import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.streams.enrich.DropReason;

/**
 * What {@link QuoteProcessor} forwards: an enriched quote, a raw record for the dead-letter topic, or the
 * eviction of an idle symbol (keyed by the symbol).
 */
public sealed interface QuoteOutcome {

    record Accepted(StockQuote quote, long volumeDelta) implements QuoteOutcome {}

    record DeadLetter(DropReason reason, byte[] raw) implements QuoteOutcome {}

    /** The symbol's state was deleted after SYMBOL_IDLE_RETENTION without an accepted quote. */
    record Evicted() implements QuoteOutcome {}
}
