package io.stocktracker.ingest.universe;

import java.util.Map;

/**
 * The symbols ingest may fetch: symbol -> what listed it. Replaced whole by {@link UniverseRefresher}; read on
 * every fetch cycle, so a symbol some Redis client announced but nobody listed never costs a request.
 */
public final class SymbolUniverse {
    private volatile Map<String, String> listed = Map.of();

    public boolean contains(String symbol) {
        return listed.containsKey(symbol);
    }

    public Map<String, String> listed() {
        return listed;
    }

    public int size() {
        return listed.size();
    }

    void replace(Map<String, String> next) {
        listed = Map.copyOf(next);
    }
}
