package io.stocktracker.edge.bridge;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the hole pub/sub leaves when this edge's subscription was down: what other edges published in
 * the meantime is read back from quotes.latest when Redis returns.
 *
 * <p>Where to start: the group's committed offsets, sampled while this edge was subscribed. A record below
 * an offset committed at time t was published before t (the relay commits only after its publishes
 * completed), so if t precedes the outage, everything published during the outage lies at or above the
 * sample. Reading from there to the current end and offering each quote to the cache delivers exactly
 * what was missed; everything else is dropped as {@code seq <= last seen}.
 */
final class CatchUpReader {
    private static final Logger log = LoggerFactory.getLogger(CatchUpReader.class);

    private final BridgeConfig config;
    private final String topic;
    private final Delivery delivery;
    private final BridgeMetrics metrics;
    private final ExecutorService worker;
    private final Admin admin;
    private final AtomicBoolean fillQueued = new AtomicBoolean();
    /** Null until the first sample: then a catch-up reads the whole (compacted) topic. */
    private volatile Map<TopicPartition, Long> safeFrom;
    private volatile boolean closed;

    CatchUpReader(BridgeConfig config, String topic, Delivery delivery, BridgeMetrics metrics, ExecutorService worker) {
        this.config = config;
        this.topic = topic;
        this.delivery = delivery;
        this.metrics = metrics;
        this.worker = worker;
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "ws-edge-" + config.edgeId() + "-admin");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        this.admin = Admin.create(p);
    }

    /**
     * Samples the group's committed offsets while Redis is up. A sample during which Redis went down (even
     * briefly) is thrown away: it could postdate the start of the gap.
     */
    void sample(RedisLink link) {
        if (closed || !link.up()) {
            return;
        }
        long downs = link.downs();
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.consumerGroup())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            if (link.downs() != downs || !link.up()) {
                return;
            }
            Map<TopicPartition, Long> offsets = new HashMap<>();
            committed.forEach((tp, om) -> {
                if (om != null && tp.topic().equals(topic)) {
                    offsets.put(tp, om.offset());
                }
            });
            safeFrom = offsets;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("edge {}: sampling committed offsets failed: {}", config.edgeId(), e.toString());
        }
    }

    /** Queues one catch-up (several requests while one is waiting collapse into it). */
    void requestFill() {
        if (closed || !fillQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(() -> {
                fillQueued.set(false);
                fill();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            fillQueued.set(false);
        }
    }

    private void fill() {
        if (closed) {
            return;
        }
        Map<TopicPartition, Long> from = safeFrom;
        long started = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config.consumerProperties("-catchup"))) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                return;
            }
            List<TopicPartition> tps = partitions.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            if (from != null) {
                from.forEach((tp, offset) -> {
                    if (tps.contains(tp)) {
                        consumer.seek(tp, offset);
                    }
                });
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(10));
            long records = 0;
            long delivered = 0;
            while (!closed && !reached(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    ChannelMessages.Decoded decoded = ChannelMessages.record(r.key(), r.value());
                    if (decoded instanceof ChannelMessages.Quote q && delivery.quote(q.quote(), null, metrics.deliveredFromCatchUp)) {
                        delivered++;
                    } else if (decoded instanceof ChannelMessages.Removed removed) {
                        delivery.removal(removed.symbol(), java.time.Instant.ofEpochMilli(r.timestamp()));
                    }
                }
            }
            log.info("edge {}: caught up after the Redis gap: {} records read from {}, {} new update(s) delivered, {} ms",
                    config.edgeId(), records, from == null ? "the beginning" : "the committed offsets", delivered,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            if (!closed) {
                log.warn("edge {}: catch-up read after the Redis gap failed ({}); updates missed meanwhile arrive with the next tick",
                        config.edgeId(), e.toString());
            }
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(10)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Stops a running catch-up at its next poll; the admin client closes with the worker's last task. */
    void close() {
        closed = true;
        try {
            worker.execute(() -> admin.close(Duration.ofSeconds(2)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
