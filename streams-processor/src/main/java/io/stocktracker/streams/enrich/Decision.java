package io.stocktracker.streams.enrich;

import io.stocktracker.schemas.model.StockQuote;

/** The outcome of offering one raw quote to {@link QuoteEnricher}. */
public sealed interface Decision {

    /**
     * @param volumeDelta volume traded since the previous accepted quote of the symbol (for bars)
     */
    record Accepted(StockQuote quote, SymbolState next, long volumeDelta) implements Decision {}

    record Dropped(DropReason reason, String detail) implements Decision {}
}
