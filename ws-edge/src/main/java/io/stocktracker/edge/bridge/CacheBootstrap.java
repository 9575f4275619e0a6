package io.stocktracker.edge.bridge;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the latest-value cache before the edge reports ready: a consumer without a group assign()s every
 * partition of quotes.latest, seeks to the beginning and reads up to the end offsets taken when it
 * started (read_committed, so the last stable offsets: nothing an aborted transaction wrote).
 *
 * <p>A missing topic is not created here: streams-processor owns it and its compaction settings, and a
 * topic auto-created by a consumer would have the wrong ones. The reader waits {@code missingTopicGrace}
 * for it to appear (the services usually start together), then reports ready with an empty cache: that
 * is the truth (there is no quote yet), and the group consumer, which keeps looking for the topic, fills
 * the cache through Redis as soon as quotes flow. An unreachable broker is different: nothing is known,
 * so the reader retries until it answers and the edge stays not ready.
 */
final class CacheBootstrap implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(CacheBootstrap.class);
    /** How long the reader waits for Redis before taking the end offsets, so live updates continue where it stops. */
    static final Duration REDIS_WAIT = Duration.ofSeconds(5);

    private final BridgeConfig config;
    private final String topic;
    private final Duration missingTopicGrace;
    private final Delivery delivery;
    private final BridgeMetrics metrics;
    private final BooleanSupplier redisUp;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean ready;
    /** The end offsets were taken while Redis was down: what was published before it came up must be caught up. */
    private volatile boolean capturedWhileDown;

    CacheBootstrap(BridgeConfig config, String topic, Duration missingTopicGrace, Delivery delivery, BridgeMetrics metrics,
                   BooleanSupplier redisUp) {
        this.config = config;
        this.topic = topic;
        this.missingTopicGrace = missingTopicGrace;
        this.delivery = delivery;
        this.metrics = metrics;
        this.redisUp = redisUp;
        Properties p = config.consumerProperties("-bootstrap");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        this.consumer = new KafkaConsumer<>(p);
    }

    boolean ready() {
        return ready;
    }

    boolean capturedWhileDown() {
        return capturedWhileDown;
    }

    void stop() {
        stopped.countDown();
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            while (!stopping()) {
                try {
                    load();
                    return;
                } catch (WakeupException | InterruptException e) {
                    return;
                } catch (RuntimeException e) {
                    log.warn("edge {}: bootstrap of {} failed ({}), starting over", config.edgeId(), topic, e.toString());
                    pause(Duration.ofSeconds(1));
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void load() {
        long started = System.nanoTime();
        List<PartitionInfo> partitions = awaitPartitions();
        if (partitions == null) {
            return;
        }
        if (partitions.isEmpty()) {
            capturedWhileDown = !redisUp.getAsBoolean();
            ready = true;
            return;
        }
        awaitRedis();
        List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        capturedWhileDown = !redisUp.getAsBoolean();
        Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(30));
        long records = 0;
        while (!stopping() && !reached(end)) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                records++;
                metrics.bootstrapRecords.increment();
                ChannelMessages.Decoded decoded = ChannelMessages.record(r.key(), r.value());
                if (decoded instanceof ChannelMessages.Quote q) {
                    delivery.quote(q.quote(), null, metrics.deliveredFromBootstrap);
                } else if (decoded instanceof ChannelMessages.Removed removed) {
                    // compaction keeps a tombstone for a while (delete.retention.ms) after the quotes it replaced
                    delivery.removal(removed.symbol(), Instant.ofEpochMilli(r.timestamp()));
                } else {
                    metrics.malformedKafka.increment();
                }
            }
        }
        if (stopping()) {
            return;
        }
        ready = true;
        log.info("edge {}: latest-value cache ready: {} records of {} ({} partitions) read in {} ms",
                config.edgeId(), records, topic, tps.size(), (System.nanoTime() - started) / 1_000_000);
    }

    /** The topic's partitions; empty when it is still missing after the grace period; null when stopping. */
    private List<PartitionInfo> awaitPartitions() {
        long missingSince = 0;
        long unreachableLogged = 0;
        while (!stopping()) {
            try {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (partitions != null && !partitions.isEmpty()) {
                    return partitions;
                }
                long now = System.nanoTime();
                if (missingSince == 0) {
                    missingSince = now;
                    log.warn("edge {}: topic {} does not exist yet (streams-processor creates it); waiting up to {} before "
                            + "starting with an empty cache", config.edgeId(), topic, missingTopicGrace);
                } else if (now - missingSince >= missingTopicGrace.toNanos()) {
                    log.warn("edge {}: topic {} still missing: ready with an empty cache; quotes will arrive live once it exists",
                            config.edgeId(), topic);
                    return List.of();
                }
            } catch (TimeoutException e) {
                long now = System.nanoTime();
                if (now - unreachableLogged > TimeUnit.SECONDS.toNanos(30)) {
                    unreachableLogged = now;
                    log.warn("edge {}: Kafka at {} does not answer; cache bootstrap waits (edge not ready)",
                            config.edgeId(), config.bootstrapServers());
                }
            }
            pause(Duration.ofMillis(500));
        }
        return null;
    }

    private void awaitRedis() {
        long deadline = System.nanoTime() + REDIS_WAIT.toNanos();
        while (!redisUp.getAsBoolean() && System.nanoTime() < deadline && !stopping()) {
            pause(Duration.ofMillis(50));
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private boolean stopping() {
        return stopped.getCount() == 0;
    }

    private void pause(Duration d) {
        try {
            stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
        }
    }
}
