package io.stocktracker.kit.kafka;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/** Where a {@link TopicFollower} starts reading once the partitions are assigned; from the beginning by default. */
@FunctionalInterface
public interface StartPosition {
    StartPosition BEGINNING = Consumer::seekToBeginning;

    void seek(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions);

    /** Each partition at its first record stamped at or after {@code time}; at its end when it has none. */
    static void seekToTime(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Instant time) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, TopicFollower.OFFSETS_TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TopicFollower.OFFSETS_TIMEOUT);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = found.get(tp);
            consumer.seek(tp, at == null ? end.get(tp) : at.offset());
        }
    }
}
