package io.stocktracker.edge.alerts;

import io.stocktracker.edge.session.ClientSession;
import io.stocktracker.schemas.model.AlertRule;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.AlertTriggered;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AUTH_MODE=none: alerts that live as long as their connection, evaluated here on the quotes this edge fans out (no
 * user to keep them for, so nothing goes to Kafka). A symbol without alerts costs the quote path one map look-up.
 */
final class ConnectionAlerts {
    private static final class Held {
        final ClientSession session;
        final AlertRule rule;
        AlertRule.Window window;

        Held(ClientSession session, AlertRule rule) {
            this.session = session;
            this.rule = rule;
        }
    }

    /** symbol -> (clientId|alertId -> alert); read without a lock on the quote path. */
    private final Map<String, Map<String, Held>> bySymbol = new ConcurrentHashMap<>();
    /** clientId -> alertId -> alert, in creation order. */
    private final Map<String, Map<String, Held>> byClient = new ConcurrentHashMap<>();

    synchronized int count(ClientSession session) {
        Map<String, Held> mine = byClient.get(session.clientId());
        return mine == null ? 0 : mine.size();
    }

    synchronized void add(ClientSession session, AlertRule rule) {
        Held held = new Held(session, rule);
        byClient.computeIfAbsent(session.clientId(), c -> new LinkedHashMap<>()).put(rule.alertId(), held);
        bySymbol.computeIfAbsent(rule.symbol(), s -> new ConcurrentHashMap<>()).put(key(session, rule.alertId()), held);
    }

    synchronized void remove(ClientSession session, String alertId) {
        Map<String, Held> mine = byClient.get(session.clientId());
        Held held = mine == null ? null : mine.remove(alertId);
        if (held != null) {
            forget(held);
        }
        if (mine != null && mine.isEmpty()) {
            byClient.remove(session.clientId());
        }
    }

    synchronized List<AlertRule> list(ClientSession session) {
        Map<String, Held> mine = byClient.get(session.clientId());
        return mine == null ? List.of() : mine.values().stream().map(h -> h.rule).toList();
    }

    synchronized void closed(ClientSession session) {
        Map<String, Held> mine = byClient.remove(session.clientId());
        if (mine != null) {
            mine.values().forEach(this::forget);
        }
    }

    void onQuote(StockQuote quote) {
        if (!bySymbol.containsKey(quote.symbol())) {
            return;
        }
        List<Held> fired = new ArrayList<>();
        synchronized (this) {
            Map<String, Held> alerts = bySymbol.get(quote.symbol());
            if (alerts == null) {
                return;
            }
            Instant at = quote.timestamp() == null ? Instant.now() : quote.timestamp();
            for (Held held : alerts.values()) {
                AlertRule.Check check = held.rule.check(quote.price(), at, held.window);
                held.window = check.window();
                if (check.fired()) {
                    fired.add(held);
                }
            }
            fired.sort(Comparator.comparing(h -> h.rule.createdAt()));
            fired.forEach(h -> remove(h.session, h.rule.alertId()));
        }
        Instant now = Instant.now();
        Instant at = quote.timestamp() == null ? now : quote.timestamp();
        fired.forEach(h -> h.session.send(new AlertTriggered(h.rule, quote.price(), at, now)));
    }

    private void forget(Held held) {
        Map<String, Held> alerts = bySymbol.get(held.rule.symbol());
        if (alerts != null) {
            alerts.remove(key(held.session, held.rule.alertId()));
            if (alerts.isEmpty()) {
                bySymbol.remove(held.rule.symbol());
            }
        }
    }

    private static String key(ClientSession session, String alertId) {
        return session.clientId() + "|" + alertId;
    }
}
