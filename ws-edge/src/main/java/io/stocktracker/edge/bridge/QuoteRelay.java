package io.stocktracker.edge.bridge;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.PriceUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group consumer: this edge's share of quotes.latest goes to Redis, once, for every edge.
 *
 * <p>For each poll: serialize each quote's price_update once, PUBLISH it on market-data:updates and SET
 * quote:{SYMBOL} (the last value per symbol of the poll) as one pipeline, wait for the replies, then commit
 * (at-least-once toward Redis: a crash between publish and commit republishes, and every edge drops the
 * duplicate by seq). A record whose publish failed, or every record while Redis is down, goes straight to
 * this edge's listener instead (through the cache, so when the same update later arrives from Redis it is
 * a duplicate) and pins the partition's commit point: once Redis is back the edge seeks there and
 * publishes it again, and if the partition moves first, the next owner does. Partitions that move are
 * committed in the revoke callback, after the last poll's publishes completed, so nothing is skipped.
 */
final class QuoteRelay implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(QuoteRelay.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** While relaying for a silent edge, its partitions are polled this often at least. */
    private static final Duration TAKEOVER_POLL = Duration.ofMillis(50);
    /** Redis must have been back this long before the replay, so other edges have resubscribed by then. */
    static final Duration REPLAY_SETTLE = Duration.ofSeconds(1);

    private final BridgeConfig config;
    private final String topic;
    private final RedisLink link;
    private final Delivery delivery;
    private final BridgeMetrics metrics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final PartitionProgress progress = new PartitionProgress();
    private final AtomicLong malformedSeen = new AtomicLong();
    private final SetArgs quoteTtl;
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile List<TopicPartition> assignment = List.of();
    private long replayNotBefore;
    private long invalidSessionTimeouts;
    private Supplier<Set<Integer>> takeoverPartitions = Set::of;
    private TakeoverConsumer takeover;

    QuoteRelay(BridgeConfig config, String topic, RedisLink link, Delivery delivery, BridgeMetrics metrics) {
        this.config = config;
        this.topic = topic;
        this.link = link;
        this.delivery = delivery;
        this.metrics = metrics;
        this.quoteTtl = SetArgs.Builder.px(config.quoteTtl().toMillis());
        // a crashed edge's partitions move after config.sessionTimeout(); a clean shutdown leaves the group at once
        this.consumer = new KafkaConsumer<>(config.groupConsumerProperties());
    }

    boolean assigned() {
        return assigned;
    }

    List<TopicPartition> assignment() {
        return assignment;
    }

    /** Also relays these partitions (a silent edge's, see {@link RelayTakeover}) until the group gives them to someone. */
    void takeOverWhen(Supplier<Set<Integer>> partitions) {
        this.takeoverPartitions = partitions;
        this.takeover = new TakeoverConsumer(config, topic);
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                try {
                    maybeReplay();
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(takeover != null && takeover.active() ? TAKEOVER_POLL : POLL);
                    if (!records.isEmpty()) {
                        relay(records, progress);
                    }
                    commitAsync();
                    relayTakenOver();
                } catch (WakeupException | InterruptException e) {
                    // stop() or an interrupt: the loop condition decides
                    if (e instanceof InterruptException) {
                        running = false;
                    }
                } catch (InvalidSessionTimeoutException e) {
                    // an operator setting the broker refuses: name it once a minute instead of a stack trace a second
                    if (invalidSessionTimeouts++ % 60 == 0) {
                        log.error("edge {}: the broker refuses KAFKA_SESSION_TIMEOUT_MS={} (outside its group.min.session.timeout.ms"
                                        + " / group.max.session.timeout.ms): this edge cannot join group {} and stays not ready",
                                config.edgeId(), config.sessionTimeout().toMillis(), config.consumerGroup());
                    }
                    sleepQuietly(1000);
                } catch (RuntimeException e) {
                    log.error("edge {}: group consumer error, continuing", config.edgeId(), e);
                    sleepQuietly(1000);
                }
            }
        } finally {
            try {
                commitSync(progress.toCommit());
            } catch (RuntimeException e) {
                log.warn("edge {}: final commit failed: {}", config.edgeId(), e.toString());
            }
            if (takeover != null) {
                try {
                    takeover.close();
                } catch (RuntimeException e) {
                    log.warn("edge {}: closing the take-over consumer: {}", config.edgeId(), e.toString());
                }
            }
            try {
                consumer.close(Duration.ofSeconds(5)); // leaves the group: the partitions move at once
            } catch (RuntimeException e) {
                log.warn("edge {}: closing the group consumer: {}", config.edgeId(), e.toString());
            }
            assigned = false;
        }
    }

    /** A silent edge's partitions that the group has not given to this edge: published, never committed. */
    private void relayTakenOver() {
        if (takeover == null) {
            return;
        }
        Set<Integer> wanted = new HashSet<>(takeoverPartitions.get());
        for (TopicPartition tp : assignment) {
            wanted.remove(tp.partition());
        }
        ConsumerRecords<byte[], byte[]> records = takeover.poll(wanted);
        if (!records.isEmpty()) {
            relay(records, new PartitionProgress());
        }
    }

    private record Outgoing(TopicPartition tp, long offset, StockQuote quote, byte[] frame, byte[] value) {}

    private void relay(ConsumerRecords<byte[], byte[]> records, PartitionProgress tracked) {
        Instant now = Instant.now();
        List<Outgoing> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            metrics.consumed.increment();
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            ChannelMessages.Decoded decoded = ChannelMessages.record(r.key(), r.value());
            if (decoded instanceof ChannelMessages.Quote q) {
                byte[] frame = JsonCodec.toBytes(PriceUpdate.of(q.quote(), now));
                batch.add(new Outgoing(tp, r.offset(), q.quote(), frame, r.value()));
            } else if (decoded instanceof ChannelMessages.Removed removed) {
                // this edge's cache only: the other edges evicted the symbol on their own long before (a tombstone
                // comes after SYMBOL_IDLE_RETENTION without a quote, their idle eviction acts after SYMBOL_IDLE_EVICT_MS),
                // and quote:{SYMBOL} expired with its TTL; a quote of the symbol published later brings it back everywhere
                delivery.removal(removed.symbol(), Instant.ofEpochMilli(r.timestamp()));
                tracked.handled(tp, r.offset(), true);
            } else {
                metrics.malformedKafka.increment();
                long n = malformedSeen.incrementAndGet();
                if (n <= 10 || n % 1000 == 0) {
                    log.warn("edge {}: skipping undecodable record {}-{}@{} ({} so far)", config.edgeId(), r.topic(),
                            r.partition(), r.offset(), n);
                }
                tracked.handled(tp, r.offset(), true); // nothing to publish, ever: do not hold the partition back
            }
        }
        StatefulRedisConnection<String, byte[]> publisher = link.publisher();
        if (!link.up() || publisher == null) {
            for (Outgoing o : batch) {
                metrics.publishFailures.increment(); // not attempted: Redis is down (replayed once it is back)
                delivery.quote(o.quote(), o.frame(), metrics.deliveredFromKafka);
                tracked.handled(o.tp(), o.offset(), false);
            }
            return;
        }
        RedisAsyncCommands<String, byte[]> redis = publisher.async();
        List<RedisFuture<Long>> publishes = new ArrayList<>(batch.size());
        Map<String, Outgoing> lastPerSymbol = new LinkedHashMap<>();
        for (Outgoing o : batch) {
            publishes.add(redis.publish(Channels.UPDATES, o.frame()));
            lastPerSymbol.put(o.quote().symbol(), o);
        }
        List<RedisFuture<String>> sets = new ArrayList<>(lastPerSymbol.size());
        for (Outgoing o : lastPerSymbol.values()) {
            sets.add(redis.set(Channels.quoteKey(o.quote().symbol()), o.value(), quoteTtl));
        }
        publisher.flushCommands();
        long deadline = System.nanoTime() + RedisLink.COMMAND_TIMEOUT.toNanos();
        for (int i = 0; i < batch.size(); i++) {
            Outgoing o = batch.get(i);
            if (completed(publishes.get(i), deadline)) {
                metrics.published.increment();
                tracked.handled(o.tp(), o.offset(), true);
            } else {
                metrics.publishFailures.increment();
                delivery.quote(o.quote(), o.frame(), metrics.deliveredFromKafka);
                tracked.handled(o.tp(), o.offset(), false);
            }
        }
        for (RedisFuture<String> set : sets) {
            if (!completed(set, deadline)) {
                metrics.publishFailures.increment(); // the key is a TTL cache: the next update of the symbol rewrites it
            }
        }
    }

    private static boolean completed(RedisFuture<?> future, long deadlineNanos) {
        try {
            future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** Once Redis has been back for a moment, go back to the first record that only reached local listeners. */
    private void maybeReplay() {
        if (!progress.hasUnpublished() || !link.up()) {
            return;
        }
        long now = System.nanoTime();
        long upFor = link.upForNanos();
        if (upFor < REPLAY_SETTLE.toNanos() || now < replayNotBefore) {
            return;
        }
        replayNotBefore = now + REPLAY_SETTLE.toNanos();
        Map<TopicPartition, Long> replay = progress.takeReplay();
        var owned = consumer.assignment();
        replay.forEach((tp, offset) -> {
            if (owned.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
        log.info("edge {}: Redis is back, publishing again from {}", config.edgeId(), replay);
    }

    private void commitAsync() {
        Map<TopicPartition, Long> offsets = progress.toCommit();
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitAsync(metadata(offsets), (done, error) -> {
            if (error == null) {
                progress.committed(offsets);
            } else {
                log.debug("edge {}: async commit failed (retried by the next one): {}", config.edgeId(), error.toString());
            }
        });
    }

    private void commitSync(Map<TopicPartition, Long> offsets) {
        if (!offsets.isEmpty()) {
            consumer.commitSync(metadata(offsets), Duration.ofSeconds(10));
            progress.committed(offsets);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> metadata(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        offsets.forEach((tp, o) -> out.put(tp, new OffsetAndMetadata(o)));
        return out;
    }

    private void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Runs inside poll() on the consumer thread, after the previous poll's publishes completed. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> offsets = progress.revoke(partitions);
            try {
                if (!offsets.isEmpty()) {
                    consumer.commitSync(metadata(offsets), Duration.ofSeconds(10));
                }
                log.info("edge {}: handing over {} (committed {})", config.edgeId(), partitions, offsets);
            } catch (RuntimeException e) {
                log.warn("edge {}: commit on revoke of {} failed ({}); the next owner republishes from the last commit",
                        config.edgeId(), partitions, e.toString());
            }
            assignment = List.copyOf(consumer.assignment());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            progress.lose(partitions);
            log.warn("edge {}: lost {} without a commit (session expired); the next owner republishes from the last commit",
                    config.edgeId(), partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = true;
            assignment = List.copyOf(consumer.assignment());
            if (!partitions.isEmpty()) {
                log.info("edge {}: now relaying {} (own {})", config.edgeId(), partitions, assignment);
            }
        }
    }
}
