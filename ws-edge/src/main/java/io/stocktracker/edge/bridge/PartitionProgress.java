package io.stocktracker.edge.bridge;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of its partitions the group consumer may commit, and where it must go back to. A record
 * counts as done toward Redis only once its PUBLISH succeeded; a record that could only be delivered
 * locally (Redis down, publish failed) pins the partition's commit point at its offset, so that the next
 * owner of the partition, or this edge once Redis is back ({@link #takeReplay()}), publishes it again.
 * Duplicates this causes are dropped downstream by seq. Not thread-safe: used by the consumer thread only.
 */
final class PartitionProgress {
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> unpublishedFrom = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    void handled(TopicPartition tp, long offset, boolean published) {
        if (!published) {
            unpublishedFrom.putIfAbsent(tp, offset);
        }
        next.merge(tp, offset + 1, Math::max);
    }

    /** Offsets to commit that moved since the last call (each partition's first unpublished offset, else its next offset). */
    Map<TopicPartition, Long> toCommit() {
        Map<TopicPartition, Long> out = new HashMap<>();
        next.forEach((tp, nextOffset) -> {
            long point = unpublishedFrom.getOrDefault(tp, nextOffset);
            Long done = committed.get(tp);
            if (done == null || point > done) {
                out.put(tp, point);
            }
        });
        return out;
    }

    void committed(Map<TopicPartition, Long> offsets) {
        offsets.forEach((tp, o) -> committed.merge(tp, o, Math::max));
    }

    boolean hasUnpublished() {
        return !unpublishedFrom.isEmpty();
    }

    /** Where to seek to publish again what only went to local listeners; the partitions are clean afterwards. */
    Map<TopicPartition, Long> takeReplay() {
        Map<TopicPartition, Long> replay = new HashMap<>(unpublishedFrom);
        unpublishedFrom.clear();
        replay.forEach(next::put);
        return replay;
    }

    /** Final commit points for partitions that move to another edge; their state is dropped. */
    Map<TopicPartition, Long> revoke(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long n = next.remove(tp);
            Long from = unpublishedFrom.remove(tp);
            Long point = from != null ? from : n;
            Long done = committed.remove(tp);
            if (point != null && (done == null || point > done)) {
                out.put(tp, point);
            }
        }
        return out;
    }

    /** Partitions lost without a chance to commit (session expired): forget them. */
    void lose(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            next.remove(tp);
            unpublishedFrom.remove(tp);
            committed.remove(tp);
        });
    }
}
