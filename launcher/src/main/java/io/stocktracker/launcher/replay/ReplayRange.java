package io.stocktracker.launcher.replay;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Per partition, the offsets to read: from the first offset at or after {@code from} up to (excluding)
 * the first offset at or after {@code to}, or the end offset taken when the replay started. Pure, so
 * the edge cases (no record after from, to before from) are tested without a broker.
 */
public record ReplayRange(Map<TopicPartition, Long> start, Map<TopicPartition, Long> stop) {

    /**
     * @param fromOffsets offsetsForTimes(from): null where no record is at or after {@code from}
     * @param toOffsets offsetsForTimes(to), or null when replaying to the end; null entries mean "to the end"
     * @param endOffsets end offsets when the replay started
     */
    public static ReplayRange of(Map<TopicPartition, Long> fromOffsets, Map<TopicPartition, Long> toOffsets,
                                 Map<TopicPartition, Long> endOffsets) {
        Map<TopicPartition, Long> start = new LinkedHashMap<>();
        Map<TopicPartition, Long> stop = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Long> e : endOffsets.entrySet()) {
            TopicPartition tp = e.getKey();
            long end = e.getValue();
            Long from = fromOffsets.get(tp);
            long s = from == null ? end : Math.min(from, end);
            Long to = toOffsets == null ? null : toOffsets.get(tp);
            long t = to == null ? end : Math.min(to, end);
            if (t > s) {
                start.put(tp, s);
                stop.put(tp, t);
            }
        }
        return new ReplayRange(Map.copyOf(start), Map.copyOf(stop));
    }

    public long total() {
        long n = 0;
        for (Map.Entry<TopicPartition, Long> e : stop.entrySet()) {
            n += e.getValue() - start.get(e.getKey());
        }
        return n;
    }

    public boolean isEmpty() {
        return stop.isEmpty();
    }
}
