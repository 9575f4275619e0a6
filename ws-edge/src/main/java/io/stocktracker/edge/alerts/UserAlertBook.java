package io.stocktracker.edge.alerts;

import io.stocktracker.schemas.model.AlertDefinition;
import io.stocktracker.schemas.model.AlertFired;
import io.stocktracker.schemas.model.AlertRule;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AUTH_MODE=jwt: what this edge knows of every user's alerts, as read from {@code alerts.definitions} (not fired yet)
 * and {@code alerts.fired} (fired, not acknowledged yet), both keyed {@code {user}|{alertId}}. No I/O.
 */
final class UserAlertBook {
    private final Map<String, Map<String, AlertRule>> active = new HashMap<>();
    private final Map<String, Map<String, AlertFired>> pending = new HashMap<>();

    /** A record of alerts.definitions: a definition, or null (a tombstone). */
    synchronized void definition(String key, AlertDefinition definition) {
        if (definition != null) {
            if (key.equals(AlertDefinition.key(definition.user(), definition.alert().alertId()))) {
                active.computeIfAbsent(definition.user(), u -> new LinkedHashMap<>()).put(definition.alert().alertId(), definition.alert());
            }
            return;
        }
        remove(active, key);
    }

    /** A record of alerts.fired: true when it is a fired alert this book did not hold yet. */
    synchronized boolean fired(String key, AlertFired fired) {
        if (fired == null) {
            remove(pending, key);
            return false;
        }
        if (!key.equals(AlertDefinition.key(fired.user(), fired.alert().alertId()))) {
            return false;
        }
        // the definition's tombstone may come later, from another partition: the alert is no longer active either way
        Map<String, AlertRule> mine = active.get(fired.user());
        if (mine != null) {
            mine.remove(fired.alert().alertId());
        }
        return pending.computeIfAbsent(fired.user(), u -> new LinkedHashMap<>()).put(fired.alert().alertId(), fired) == null;
    }

    synchronized List<AlertRule> active(String user) {
        Map<String, AlertRule> mine = active.get(user);
        return mine == null ? List.of() : List.copyOf(mine.values());
    }

    synchronized int count(String user) {
        Map<String, AlertRule> mine = active.get(user);
        return mine == null ? 0 : mine.size();
    }

    synchronized List<AlertFired> pending(String user) {
        Map<String, AlertFired> mine = pending.get(user);
        return mine == null ? List.of() : List.copyOf(mine.values());
    }

    synchronized List<String> usersWithPending() {
        return List.copyOf(pending.keySet());
    }

    private static <V> void remove(Map<String, Map<String, V>> byUser, String key) {
        int bar = key.lastIndexOf('|');
        if (bar < 0) {
            return;
        }
        String user = key.substring(0, bar);
        Map<String, V> mine = byUser.get(user);
        if (mine != null) {
            mine.remove(key.substring(bar + 1));
            if (mine.isEmpty()) {
                byUser.remove(user);
            }
        }
    }
}
