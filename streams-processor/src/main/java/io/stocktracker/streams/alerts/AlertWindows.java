package io.stocktracker.streams.alerts;

import io.stocktracker.schemas.model.AlertRule;
import java.util.Map;
import java.util.Set;

/**
 * Per symbol: the movePercent windows of its alerts, and the alerts that fired whose tombstone has not come back
 * through the by-symbol table yet (so a quote in between does not fire them again).
 */
public record AlertWindows(Map<String, AlertRule.Window> windows, Set<String> fired) {
    public AlertWindows {
        windows = windows == null ? Map.of() : windows;
        fired = fired == null ? Set.of() : fired;
    }
}
