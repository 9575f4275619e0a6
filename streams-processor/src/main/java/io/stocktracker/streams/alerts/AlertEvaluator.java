package io.stocktracker.streams.alerts;

import io.stocktracker.schemas.model.AlertDefinition;
import io.stocktracker.schemas.model.AlertFired;
import io.stocktracker.schemas.model.AlertRule;
import io.stocktracker.schemas.model.StockQuote;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One quote joined with its symbol's alerts: each alert is checked once (not once per connection of its user), and
 * each that fires is forwarded once, keyed {@code {user}|{alertId}}.
 */
final class AlertEvaluator implements Processor<String, AlertEvaluator.QuoteAndAlerts, String, AlertFired> {
    /** What the stream-table join hands over; never serialized. */
    record QuoteAndAlerts(StockQuote quote, AlertSet alerts) {
    }

    private final String storeName;
    private ProcessorContext<String, AlertFired> context;
    private KeyValueStore<String, AlertWindows> store;

    AlertEvaluator(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, AlertFired> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, QuoteAndAlerts> record) {
        StockQuote quote = record.value().quote();
        Map<String, AlertDefinition> alerts = record.value().alerts().alerts();
        AlertWindows before = store.get(record.key());
        Map<String, AlertRule.Window> windows = new TreeMap<>();
        Set<String> fired = new TreeSet<>();
        if (before != null) {
            // what belongs to alerts no longer defined (deleted, or fired and tombstoned) is dropped here
            before.windows().forEach((k, w) -> {
                if (alerts.containsKey(k)) {
                    windows.put(k, w);
                }
            });
            before.fired().stream().filter(alerts::containsKey).forEach(fired::add);
        }
        alerts.forEach((key, definition) -> {
            if (fired.contains(key)) {
                return;
            }
            AlertRule rule = definition.alert();
            AlertRule.Check check = rule.check(quote.price(), quote.timestamp(), windows.get(key));
            if (check.window() != null) {
                windows.put(key, check.window());
            }
            if (check.fired()) {
                fired.add(key);
                windows.remove(key);
                context.forward(record.withKey(key).withValue(
                        new AlertFired(definition.user(), rule, quote.price(), quote.timestamp())));
            }
        });
        AlertWindows after = new AlertWindows(windows, fired);
        if (windows.isEmpty() && fired.isEmpty()) {
            if (before != null) {
                store.delete(record.key());
            }
        } else if (!after.equals(before)) {
            store.put(record.key(), after);
        }
    }
}
