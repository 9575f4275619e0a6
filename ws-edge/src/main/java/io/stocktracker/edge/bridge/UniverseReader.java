package io.stocktracker.edge.bridge;

import io.stocktracker.edge.universe.SymbolUniverse;
import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
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

    private final BridgeConfig config;
    private final SymbolUniverse universe;
    private final Duration missingTopicGrace;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean stopping;

    public UniverseReader(BridgeConfig config, SymbolUniverse universe) {
        this(config, universe, EdgeBridge.MISSING_TOPIC_GRACE);
    }

    UniverseReader(BridgeConfig config, SymbolUniverse universe, Duration missingTopicGrace) {
        this.config = config;
        this.universe = universe;
        this.missingTopicGrace = missingTopicGrace;
        Properties p = config.consumerProperties("-universe");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        this.consumer = new KafkaConsumer<>(p);
        this.thread = new Thread(this::run, "edge-universe-" + config.edgeId());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            long records = 0;
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    apply(r);
                }
                if (!universe.ready() && reached(end)) {
                    universe.markReady();
                    log.info("edge {}: symbol universe ready: {} symbols from {} records", config.edgeId(), universe.size(), records);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("edge {}: symbol universe reader stopped; the universe stays as it is", config.edgeId(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
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

    /** The partitions once the topic exists; the universe is marked ready (empty) when it is missing past the grace. */
    private List<TopicPartition> awaitPartitions() throws WakeupException {
        long since = System.nanoTime();
        while (!stopping) {
            try {
                List<PartitionInfo> info = consumer.partitionsFor(Topics.SYMBOLS_UNIVERSE, Duration.ofSeconds(10));
                if (info != null && !info.isEmpty()) {
                    return info.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                since = System.nanoTime(); // broker unreachable: nothing is known yet, stay not ready
            }
            if (!universe.ready() && System.nanoTime() - since >= missingTopicGrace.toNanos()) {
                log.warn("edge {}: topic {} missing (ingest-connector writes it): no symbol is listed until it exists",
                        config.edgeId(), Topics.SYMBOLS_UNIVERSE);
                universe.markReady();
            }
            try {
                stopped.await(500, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        stopping = true;
        stopped.countDown();
        consumer.wakeup(); // not an interrupt: the consumer's own close must still be able to talk to the broker
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
