package io.stocktracker.edge.alerts;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.AlertDefinition;
import io.stocktracker.schemas.model.AlertFired;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code alerts.definitions} and {@code alerts.fired} in full (no group: every edge needs every user's) into the
 * {@link UserAlertBook}, and follows them. Until it has read to the end offsets taken at start it relays nothing: an
 * alert that fired and was acknowledged long ago is still in the log before its tombstone, and must not reach anyone.
 */
final class AlertLogReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertLogReader.class);
    private static final List<String> TOPICS = List.of(Topics.ALERTS_DEFINITIONS, Topics.ALERTS_FIRED);

    private final String edgeId;
    private final UserAlertBook book;
    private final Consumer<AlertFired> onFired;
    private final Runnable onReady;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean ready;

    /**
     * @param onFired a fired alert read once the reader is ready (called on the reader's thread)
     * @param onReady the reader caught up: the pending alerts of connected users can go out
     */
    AlertLogReader(String bootstrapServers, String edgeId, UserAlertBook book, Consumer<AlertFired> onFired, Runnable onReady) {
        this.edgeId = edgeId;
        this.book = book;
        this.onFired = onFired;
        this.onReady = onReady;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "ws-edge-" + edgeId + "-alerts");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // streams-processor writes alerts.fired in transactions: an aborted one must never reach a user
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // the topics belong to streams-processor (compacted): never created here with broker defaults
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.thread = new Thread(this::run, "edge-alerts-" + edgeId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean ready() {
        return ready;
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
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    apply(r);
                }
                if (!ready && reached(end)) {
                    ready = true;
                    log.info("edge {}: alerts read: {} users with pending alerts", edgeId, book.usersWithPending().size());
                    onReady.run();
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("edge {}: alert reader stopped; alerts are no longer relayed by this edge", edgeId, e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        try {
            if (Topics.ALERTS_DEFINITIONS.equals(r.topic())) {
                book.definition(key, r.value() == null ? null : JsonCodec.fromBytes(r.value(), AlertDefinition.class));
            } else {
                AlertFired fired = r.value() == null ? null : JsonCodec.fromBytes(r.value(), AlertFired.class);
                if (book.fired(key, fired) && ready) {
                    onFired.accept(fired);
                }
            }
        } catch (RuntimeException e) {
            log.warn("edge {}: {} record {} ignored: {}", edgeId, r.topic(), key, e.getMessage());
        }
    }

    /** Both topics' partitions, once streams-processor (their creator) has created them. */
    private List<TopicPartition> awaitPartitions() {
        while (!stopping) {
            List<TopicPartition> all = new ArrayList<>();
            try {
                for (String topic : TOPICS) {
                    List<PartitionInfo> info = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                    if (info != null) {
                        info.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
                    }
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                all.clear();
            }
            if (all.stream().map(TopicPartition::topic).distinct().count() == TOPICS.size()) {
                return all;
            }
            try {
                if (stopped.await(500, TimeUnit.MILLISECONDS)) {
                    return List.of();
                }
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
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
