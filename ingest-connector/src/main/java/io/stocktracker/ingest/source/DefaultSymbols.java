package io.stocktracker.ingest.source;

import java.util.List;

/** Real, liquid US tickers the quick start streams when no INGEST_SYMBOLS are given. */
public final class DefaultSymbols {
    public static final List<String> ALL = List.of(
            "AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "BRK.B", "AVGO", "JPM",
            "LLY", "V", "UNH", "XOM", "MA", "JNJ", "PG", "HD", "COST", "ORCL",
            "MRK", "ABBV", "CVX", "KO", "PEP", "ADBE", "WMT", "BAC", "CRM", "NFLX",
            "AMD", "TMO", "MCD", "CSCO", "ACN", "ABT", "LIN", "INTC", "DIS", "WFC",
            "QCOM", "TXN", "DHR", "VZ", "IBM", "CAT", "PFE", "NKE", "GS", "UBER");

    /** The first {@code count} of {@link #ALL} (all of them when count is larger). */
    public static List<String> first(int count) {
        return ALL.subList(0, Math.max(0, Math.min(count, ALL.size())));
    }

    private DefaultSymbols() {}
}
