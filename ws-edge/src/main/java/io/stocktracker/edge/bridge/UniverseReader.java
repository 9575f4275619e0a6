package io.stocktracker.edge.bridge;

import io.stocktracker.edge.universe.SymbolUniverse;
import io.stocktracker.kit.kafka.TopicFollower;
import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code symbols.universe} (no group: every edge needs all of it) from the beginning into the
 * {@link SymbolUniverse}, marks it ready at the end offsets taken at start, then keeps following it, so a symbol
 * listed or delisted later is known within a poll. A topic still missing after the grace period (ingest has not
 * run yet) means an empty universe, the truth: nothing is listed, and the reader keeps looking for it.
 */
public final class UniverseReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UniverseReader.class);

    private final String edgeId;
    private final SymbolUniverse universe;
    private final TopicFollower follower;

    public UniverseReader(BridgeConfig config, SymbolUniverse universe) {
        this.edgeId = config.edgeId();
        this.universe = universe;
        Properties p = config.consumerProperties("-universe");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        this.follower = TopicFollower.reading(p, List.of(Topics.SYMBOLS_UNIVERSE), "edge-universe-" + edgeId)
                .missingTopicGrace(EdgeBridge.MISSING_TOPIC_GRACE)
                .build(TopicFollower.Listener.of(this::apply, this::ready));
    }

    public void start() {
        follower.start();
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String symbol = new String(r.key(), StandardCharsets.UTF_8);
        if (Symbols.isValid(symbol)) {
            universe.apply(symbol, r.value() != null);
        }
    }

    private void ready(boolean topicsMissing) {
        universe.markReady();
        log.info("edge {}: symbol universe ready: {} symbols{}", edgeId, universe.size(),
                topicsMissing ? " (topic missing: no symbol is listed until ingest-connector writes it)" : "");
    }

    @Override
    public void close() {
        follower.close();
    }
}
