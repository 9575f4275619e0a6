package io.stocktracker.edge.bridge;

import io.stocktracker.kit.kafka.TopicFollower;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
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

    private final String edgeId;
    private final Delivery delivery;
    private final BridgeMetrics metrics;
    private final BooleanSupplier redisUp;
    private final TopicFollower follower;
    /** Set by stop(): ends the wait for Redis, which the follower's own stop does not reach. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean ready;
    /** The end offsets were taken while Redis was down: what was published before it came up must be caught up. */
    private volatile boolean capturedWhileDown;

    CacheBootstrap(BridgeConfig config, String topic, Duration missingTopicGrace, Delivery delivery, BridgeMetrics metrics,
                   BooleanSupplier redisUp) {
        this.edgeId = config.edgeId();
        this.delivery = delivery;
        this.metrics = metrics;
        this.redisUp = redisUp;
        Properties p = config.consumerProperties("-bootstrap");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        this.follower = TopicFollower.reading(p, List.of(topic), "edge-bootstrap-" + edgeId)
                .missingTopicGrace(missingTopicGrace)
                .from(this::seekToBeginningOnceRedisIsUp)
                .untilCaughtUp()
                .startOverAfterFailure()
                .build(TopicFollower.Listener.of(this::load, missing -> loaded(missing, topic)));
    }

    private void loaded(boolean topicMissing, String topic) {
        if (topicMissing) {
            capturedWhileDown = !redisUp.getAsBoolean();
            log.warn("edge {}: {} still missing: ready with an empty cache; quotes will arrive live once it exists", edgeId, topic);
        }
        ready = true;
    }

    boolean ready() {
        return ready;
    }

    boolean capturedWhileDown() {
        return capturedWhileDown;
    }

    void stop() {
        stopped.countDown();
        follower.close();
    }

    @Override
    public void run() {
        follower.run();
    }

    /** The end offsets are taken right after this: waiting for Redis first lets live updates continue where the read ends. */
    private void seekToBeginningOnceRedisIsUp(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        long deadline = System.nanoTime() + REDIS_WAIT.toNanos();
        try {
            while (!redisUp.getAsBoolean() && System.nanoTime() < deadline && !stopped.await(50, TimeUnit.MILLISECONDS)) {
                // waiting for Redis
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.seekToBeginning(partitions);
        capturedWhileDown = !redisUp.getAsBoolean();
    }

    private void load(ConsumerRecord<byte[], byte[]> r) {
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
