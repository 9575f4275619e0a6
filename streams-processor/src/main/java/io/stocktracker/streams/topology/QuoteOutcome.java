package io.stocktracker.streams.topology;

import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.streams.enrich.DropReason;

/** What {@link QuoteProcessor} forwards: an enriched quote, or a raw record for the dead-letter topic. */
public sealed interface QuoteOutcome {

    record Accepted(StockQuote quote, long volumeDelta) implements QuoteOutcome {}

    record DeadLetter(DropReason reason, byte[] raw) implements QuoteOutcome {}
}
