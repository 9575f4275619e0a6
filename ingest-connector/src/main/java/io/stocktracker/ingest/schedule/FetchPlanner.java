package io.stocktracker.ingest.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which active symbols get the budget when it cannot cover them all: most-subscribed
 * first, then the stalest (never fetched counts as stalest), then by name for a stable order. Symbols
 * that miss a cycle become staler, so a short budget rotates through everything instead of starving
 * the tail.
 */
public final class FetchPlanner {

    public List<String> prioritize(Map<String, Integer> demand, Map<String, Instant> lastFetched) {
        List<String> symbols = new ArrayList<>(demand.keySet());
        symbols.sort(Comparator
                .comparing((String s) -> demand.getOrDefault(s, 0), Comparator.reverseOrder())
                .thenComparing(s -> lastFetched.getOrDefault(s, Instant.MIN))
                .thenComparing(Comparator.naturalOrder()));
        return symbols;
    }
}
