package io.stocktracker.edge.bridge;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the partitions {@link RelayTakeover} says this edge relays for a silent edge, on the relay thread next to the
 * group consumer. Each partition starts where the group's owner last committed (what it published, at least), so
 * every later quote is published again; what the silent edge had already published arrives twice and is dropped by
 * seq. It never commits: the partition's next owner in the group starts from the same commit.
 */
final class TakeoverConsumer implements AutoCloseable {
    private static final Duration COMMITTED_TIMEOUT = Duration.ofSeconds(5);

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private Set<Integer> assigned = Set.of();

    TakeoverConsumer(BridgeConfig config, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(config.takeoverConsumerProperties());
    }

    /** Follows {@code wanted} (new partitions start at the group's commit), then polls without waiting. */
    ConsumerRecords<byte[], byte[]> poll(Set<Integer> wanted) {
        if (!wanted.equals(assigned)) {
            Set<TopicPartition> all = new HashSet<>();
            Set<TopicPartition> added = new HashSet<>();
            for (int p : wanted) {
                TopicPartition tp = new TopicPartition(topic, p);
                all.add(tp);
                if (!assigned.contains(p)) {
                    added.add(tp);
                }
            }
            consumer.assign(all);
            assigned = Set.copyOf(wanted);
            if (!added.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(added, COMMITTED_TIMEOUT);
                for (TopicPartition tp : added) {
                    OffsetAndMetadata at = committed.get(tp);
                    if (at != null) {
                        consumer.seek(tp, at.offset());
                    } else {
                        consumer.seekToBeginning(List.of(tp)); // never committed: the compacted history, duplicates dropped by seq
                    }
                }
            }
        }
        return assigned.isEmpty() ? ConsumerRecords.empty() : consumer.poll(Duration.ZERO);
    }

    boolean active() {
        return !assigned.isEmpty();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
