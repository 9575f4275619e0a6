package io.stocktracker.streams.alerts;

import io.stocktracker.schemas.model.AlertDefinition;
import java.util.Map;
import java.util.TreeMap;

/** The alerts of one symbol, by their {@code {user}|{alertId}} key: the value of the by-symbol table. */
public record AlertSet(Map<String, AlertDefinition> alerts) {
    public AlertSet {
        alerts = alerts == null ? Map.of() : alerts;
    }

    public static AlertSet empty() {
        return new AlertSet(Map.of());
    }

    AlertSet with(String key, AlertDefinition definition) {
        Map<String, AlertDefinition> next = new TreeMap<>(alerts);
        next.put(key, definition);
        return new AlertSet(next);
    }

    AlertSet without(String key) {
        Map<String, AlertDefinition> next = new TreeMap<>(alerts);
        next.remove(key);
        return new AlertSet(next);
    }
}
