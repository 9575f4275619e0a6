package io.stocktracker.ingest.source;

import java.util.List;
import java.util.Map;

/** Real, liquid US tickers the quick start streams when no INGEST_SYMBOLS are given. */
public final class DefaultSymbols {
    public static final List<String> ALL = List.of(
            "AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "BRK.B", "AVGO", "JPM",
            "LLY", "V", "UNH", "XOM", "MA", "JNJ", "PG", "HD", "COST", "ORCL",
            "MRK", "ABBV", "CVX", "KO", "PEP", "ADBE", "WMT", "BAC", "CRM", "NFLX",
            "AMD", "TMO", "MCD", "CSCO", "ACN", "ABT", "LIN", "INTC", "DIS", "WFC",
            "QCOM", "TXN", "DHR", "VZ", "IBM", "CAT", "PFE", "NKE", "GS", "UBER");

    /**
     * Rough price levels of the default tickers, so the demo looks plausible. Illustrative reference
     * points for the simulator only, not market data.
     */
    static final Map<String, Double> REFERENCE_PRICES = Map.ofEntries(
            Map.entry("AAPL", 230.0), Map.entry("MSFT", 420.0), Map.entry("NVDA", 130.0), Map.entry("AMZN", 185.0),
            Map.entry("GOOGL", 165.0), Map.entry("META", 560.0), Map.entry("TSLA", 250.0), Map.entry("BRK.B", 450.0),
            Map.entry("AVGO", 170.0), Map.entry("JPM", 220.0), Map.entry("LLY", 850.0), Map.entry("V", 280.0),
            Map.entry("UNH", 560.0), Map.entry("XOM", 115.0), Map.entry("MA", 500.0), Map.entry("JNJ", 160.0),
            Map.entry("PG", 170.0), Map.entry("HD", 390.0), Map.entry("COST", 880.0), Map.entry("ORCL", 170.0),
            Map.entry("MRK", 100.0), Map.entry("ABBV", 190.0), Map.entry("CVX", 155.0), Map.entry("KO", 70.0),
            Map.entry("PEP", 160.0), Map.entry("ADBE", 500.0), Map.entry("WMT", 80.0), Map.entry("BAC", 40.0),
            Map.entry("CRM", 290.0), Map.entry("NFLX", 700.0), Map.entry("AMD", 150.0), Map.entry("TMO", 550.0),
            Map.entry("MCD", 290.0), Map.entry("CSCO", 55.0), Map.entry("ACN", 350.0), Map.entry("ABT", 115.0),
            Map.entry("LIN", 450.0), Map.entry("INTC", 22.0), Map.entry("DIS", 95.0), Map.entry("WFC", 60.0),
            Map.entry("QCOM", 165.0), Map.entry("TXN", 200.0), Map.entry("DHR", 250.0), Map.entry("VZ", 42.0),
            Map.entry("IBM", 220.0), Map.entry("CAT", 370.0), Map.entry("PFE", 28.0), Map.entry("NKE", 80.0),
            Map.entry("GS", 500.0), Map.entry("UBER", 70.0));

    /** The first {@code count} of {@link #ALL} (all of them when count is larger). */
    public static List<String> first(int count) {
        return ALL.subList(0, Math.max(0, Math.min(count, ALL.size())));
    }

    private DefaultSymbols() {}
}
