package io.stocktracker.edge.bridge;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the partitions {@link RelayTakeover} says this edge relays for a silent edge, on the relay thread next to the
 * group consumer. Each partition starts where the group's owner last committed (what it published, at least), so
 * every later quote is published again; what the silent edge had already published arrives twice and is dropped by
 * seq. It never commits: the partition's next owner in the group starts from the same commit.
 */
final class TakeoverConsumer implements AutoCloseable {
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private Set<Integer> assigned = Set.of();

    TakeoverConsumer(BridgeConfig config, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(config.takeoverConsumerProperties());
    }

    /**
     * Follows {@code wanted}, then polls without waiting. A partition newly assigned has no position, so the consumer
     * looks up the group's committed offset for it (earliest if none) on this poll.
     */
    ConsumerRecords<byte[], byte[]> poll(Set<Integer> wanted) {
        if (!wanted.equals(assigned)) {
            Set<TopicPartition> all = new HashSet<>();
            for (int p : wanted) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all); // a partition dropped and taken again later starts from the commit again
            assigned = Set.copyOf(wanted);
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
