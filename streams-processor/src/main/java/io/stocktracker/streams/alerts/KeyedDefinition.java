package io.stocktracker.streams.alerts;

import io.stocktracker.schemas.model.AlertDefinition;

/** A definition on its way from the by-user topic to the by-symbol table: it keeps its own key. */
public record KeyedDefinition(String key, AlertDefinition definition) {
}
