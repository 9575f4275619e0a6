package io.stocktracker.streams.alerts;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.AlertDefinition;
import io.stocktracker.schemas.model.AlertFired;
import io.stocktracker.schemas.model.AlertRule;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.streams.serde.JsonSerde;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Price alerts of AUTH_MODE=jwt users, evaluated once per quote:
 *
 * <pre>
 * alerts.definitions (by user|id) --groupBy symbol, add/subtract--> alerts-by-symbol (table)
 * accepted quotes (by symbol) --join alerts-by-symbol--> evaluate (alert-windows store) --+--> alerts.fired (user|id)
 *                                                                                         +--> alerts.definitions tombstone
 * </pre>
 * The table's subtractor sees the old value of a tombstoned key, so a delete leaves its symbol's set without the
 * edge having to say which symbol it was. An alert fires once: its definition is tombstoned as it fires.
 */
public final class AlertTopology {
    private static final Logger log = LoggerFactory.getLogger(AlertTopology.class);

    /** alerts.definitions as a table: the old value of a key is what the by-symbol subtractor needs. */
    public static final String DEFINITIONS_STORE = "alerts-definitions";
    public static final String ALERTS_BY_SYMBOL_STORE = "alerts-by-symbol";
    public static final String ALERT_WINDOWS_STORE = "alert-windows";

    /** Adds the alert evaluation to {@code builder}, fed by the quotes the quote topology accepted (keyed by symbol). */
    public static void addTo(StreamsBuilder builder, KStream<String, StockQuote> quotes) {
        KTable<String, AlertDefinition> definitions = builder
                .table(Topics.ALERTS_DEFINITIONS, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("alerts-definitions"),
                        Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(DEFINITIONS_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()))
                .mapValues(AlertTopology::decode, Named.as("decode-alert-definition"));
        KTable<String, AlertSet> bySymbol = definitions
                .filter((key, definition) -> definition != null && key.equals(AlertDefinition.key(definition.user(),
                        definition.alert().alertId())), Named.as("well-formed-alert-definitions"))
                .groupBy((key, definition) -> KeyValue.pair(definition.alert().symbol(), new KeyedDefinition(key, definition)),
                        Grouped.with("alerts-by-symbol", Serdes.String(), JsonSerde.of(KeyedDefinition.class)))
                .aggregate(AlertSet::empty,
                        (symbol, added, set) -> set.with(added.key(), added.definition()),
                        (symbol, removed, set) -> set.without(removed.key()),
                        Named.as("alerts-by-symbol-aggregate"),
                        Materialized.<String, AlertSet, KeyValueStore<Bytes, byte[]>>as(ALERTS_BY_SYMBOL_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(AlertSet.class)));

        StoreBuilder<?> windows = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ALERT_WINDOWS_STORE), Serdes.String(), JsonSerde.of(AlertWindows.class))
                .withCachingDisabled();
        KStream<String, AlertFired> fired = quotes
                .join(bySymbol, AlertEvaluator.QuoteAndAlerts::new,
                        Joined.<String, StockQuote, AlertSet>as("quotes-with-alerts").withKeySerde(Serdes.String())
                                .withValueSerde(JsonSerde.of(StockQuote.class)))
                .process(new ProcessorSupplier<String, AlertEvaluator.QuoteAndAlerts, String, AlertFired>() {
                    @Override
                    public Processor<String, AlertEvaluator.QuoteAndAlerts, String, AlertFired> get() {
                        return new AlertEvaluator(ALERT_WINDOWS_STORE);
                    }

                    @Override
                    public Set<StoreBuilder<?>> stores() {
                        return Set.of(windows);
                    }
                }, Named.as("evaluate-alerts"));
        fired.to(Topics.ALERTS_FIRED, Produced.with(Serdes.String(), JsonSerde.of(AlertFired.class)).withName("alerts-fired"));
        fired.mapValues(f -> (byte[]) null, Named.as("fired-alert-tombstone"))
                .to(Topics.ALERTS_DEFINITIONS, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("alerts-definitions-tombstones"));
    }

    /** Null (a delete, for the table) for a tombstone and for anything that is not a usable definition. */
    static AlertDefinition decode(String key, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            AlertDefinition d = JsonCodec.fromBytes(bytes, AlertDefinition.class);
            AlertRule r = d.alert();
            boolean usable = d.user() != null && !d.user().isEmpty() && Symbols.isValid(r.symbol())
                    && r.alertId() != null && AlertRule.ID_PATTERN.matcher(r.alertId()).matches();
            return usable ? d : null;
        } catch (RuntimeException e) {
            log.warn("alerts.definitions record {} is not an AlertDefinition, ignored: {}", key, e.getMessage());
            return null;
        }
    }

    private AlertTopology() {}
}
