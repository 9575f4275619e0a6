package io.stocktracker.streams.topology;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.Bar;
import io.stocktracker.streams.StreamsConfig;
import io.stocktracker.streams.alerts.AlertTopology;
import io.stocktracker.streams.bars.BarClock;
import io.stocktracker.streams.bars.OpenBars;
import io.stocktracker.streams.enrich.QuoteEnricher;
import io.stocktracker.streams.enrich.QuoteValidator;
import io.stocktracker.streams.enrich.SymbolState;
import io.stocktracker.streams.metrics.QuoteMetrics;
import io.stocktracker.streams.serde.JsonSerde;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The streams-processor topology, built by a pure function of the configuration:
 *
 * <pre>
 * quotes.raw --dedup+enrich (symbol-state store)--+--> quotes.ticks   (every accepted StockQuote)
 *                                                 +--> quotes.latest  (compacted, latest per symbol; a tombstone
 *                                                 |                    when an idle symbol's state is evicted)
 *                                                 +--> 1-minute bars by source time, published when closed --> quotes.bars.1m
 *                                                 +--> quotes.raw.dlq (undecodable/invalid raw bytes, reason in header)
 *                                                 +--> price alerts evaluated per quote (AlertTopology) --> alerts.fired
 * </pre>
 */
public final class QuoteTopology {
    /** Per-symbol dedup/sequence/trading-day state; its changelog is what makes seq survive restarts. */
    public static final String SYMBOL_STATE_STORE = "symbol-state";
    /** Per-symbol bars whose minute has not closed yet. */
    public static final String OPEN_BARS_STORE = "bars-1m-open";
    /** Per-partition bar clock: stream time and how far bars are published. */
    public static final String BAR_CLOCK_STORE = "bars-1m-clock";
    public static final Duration BAR_WINDOW = Duration.ofMinutes(1);

    /** As {@link #build(StreamsConfig, QuoteMetrics)} with meters nobody reads. */
    public static Topology build(StreamsConfig config) {
        return build(config, new QuoteMetrics(new SimpleMeterRegistry()));
    }

    public static Topology build(StreamsConfig config, QuoteMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(
                new org.apache.kafka.streams.StreamsConfig(config.kafkaStreamsProperties())));
        QuoteValidator validator = new QuoteValidator(config.maxFutureSkew());
        QuoteEnricher enricher = new QuoteEnricher(config.exchangeZone());
        Duration idleRetention = config.symbolIdleRetention();
        StoreBuilder<?> stateStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SYMBOL_STATE_STORE), Serdes.String(), JsonSerde.of(SymbolState.class))
                // every accepted quote must see its predecessor's seq at once; a cache would only delay the changelog
                .withCachingDisabled();

        KStream<String, QuoteOutcome> outcomes = builder
                .stream(Topics.QUOTES_RAW, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("quotes-raw"))
                .process(new ProcessorSupplier<String, byte[], String, QuoteOutcome>() {
                    @Override
                    public Processor<String, byte[], String, QuoteOutcome> get() {
                        return new QuoteProcessor(SYMBOL_STATE_STORE, validator, enricher, metrics, idleRetention);
                    }

                    @Override
                    public Set<StoreBuilder<?>> stores() {
                        return Set.of(stateStore);
                    }
                }, Named.as("dedup-enrich"));

        outcomes.filter((k, v) -> v instanceof QuoteOutcome.DeadLetter, Named.as("dead-letters"))
                .mapValues(v -> ((QuoteOutcome.DeadLetter) v).raw(), Named.as("dead-letter-bytes"))
                .to(Topics.QUOTES_RAW_DLQ, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("quotes-raw-dlq"));

        KStream<String, QuoteOutcome.Accepted> accepted = outcomes
                .filter((k, v) -> v instanceof QuoteOutcome.Accepted, Named.as("accepted"))
                .mapValues(v -> (QuoteOutcome.Accepted) v, Named.as("accepted-cast"));

        // serialize once, write the same bytes to both topics
        KStream<String, byte[]> encoded = accepted.mapValues(a -> JsonCodec.toBytes(a.quote()), Named.as("encode-quote"));
        encoded.to(Topics.QUOTES_TICKS, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("quotes-ticks"));
        encoded.to(Topics.QUOTES_LATEST, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("quotes-latest"));

        // an evicted symbol: a tombstone, so compaction removes it from quotes.latest and edges drop it from their caches
        outcomes.filter((k, v) -> v instanceof QuoteOutcome.Evicted, Named.as("evicted"))
                .mapValues(v -> (byte[]) null, Named.as("tombstone"))
                .to(Topics.QUOTES_LATEST, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("quotes-latest-tombstones"));

        StoreBuilder<?> openBars = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OPEN_BARS_STORE), Serdes.String(), JsonSerde.of(OpenBars.class)).withCachingDisabled();
        StoreBuilder<?> barClock = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BAR_CLOCK_STORE), Serdes.String(), JsonSerde.of(BarClock.class)).withCachingDisabled();
        Duration grace = config.barGrace();
        accepted.process(new ProcessorSupplier<String, QuoteOutcome.Accepted, String, Bar>() {
                    @Override
                    public Processor<String, QuoteOutcome.Accepted, String, Bar> get() {
                        return new BarProcessor(OPEN_BARS_STORE, BAR_CLOCK_STORE, BAR_WINDOW, grace, metrics);
                    }

                    @Override
                    public Set<StoreBuilder<?>> stores() {
                        return Set.of(openBars, barClock);
                    }
                }, Named.as("bars-1m"))
                .to(Topics.QUOTES_BARS_1M, Produced.with(Serdes.String(), JsonSerde.of(Bar.class)).withName("quotes-bars-1m"));

        AlertTopology.addTo(builder, accepted.mapValues(QuoteOutcome.Accepted::quote, Named.as("accepted-quote")));
        return builder.build();
    }

    private QuoteTopology() {}
}
