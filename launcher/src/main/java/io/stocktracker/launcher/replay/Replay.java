package io.stocktracker.launcher.replay;

import io.stocktracker.schemas.codec.JsonCodec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Analytics replay: reads a time range of {@code quotes.raw} or {@code quotes.ticks} (start offsets from
 * {@code offsetsForTimes}, so it never scans from the beginning), keeps the wanted symbols and writes
 * JSONL or CSV. Reads with {@code read_committed} and no consumer group: it commits nothing and does not
 * disturb any service. Records come out in partition order; one symbol always lives in one partition, so
 * each symbol's records are in the order they were produced.
 */
public final class Replay {
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    public record Options(String bootstrapServers, ReplayTopic topic, Instant from, Instant to, Set<String> symbols,
                          ReplayFormat format) {
        public Options {
            if (to != null && from != null && !to.isAfter(from)) {
                throw new IllegalArgumentException("--to (" + to + ") must be after --from (" + from + ")");
            }
            symbols = symbols == null ? Set.of() : Set.copyOf(symbols);
        }
    }

    /** read = records in the range; written = those that passed the symbol filter; invalid = undecodable values (skipped). */
    public record Result(long read, long written, long filtered, long invalid) {
    }

    private Replay() {}

    public static Result run(Options options, OutputStream output, PrintStream progress) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "replay");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(options.topic().topic(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + options.topic().topic() + " does not exist on " + options.bootstrapServers());
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            ReplayRange range = ReplayRange.of(
                    offsetsAt(consumer, partitions, options.from() == null ? Instant.EPOCH : options.from()),
                    options.to() == null ? null : offsetsAt(consumer, partitions, options.to()),
                    consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            return copy(consumer, range, options, output, progress);
        }
    }

    private static Map<TopicPartition, Long> offsetsAt(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions, Instant at) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, at.toEpochMilli()));
        Map<TopicPartition, Long> out = new HashMap<>();
        consumer.offsetsForTimes(query, Duration.ofSeconds(30)).forEach((tp, ot) -> out.put(tp, ot == null ? null : ot.offset()));
        return out;
    }

    private static Result copy(KafkaConsumer<byte[], byte[]> consumer, ReplayRange range, Options options, OutputStream output,
                               PrintStream progress) {
        Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 1 << 16);
        Class<? extends Record> type = options.topic().valueType();
        CsvWriter csv = options.format() == ReplayFormat.CSV ? new CsvWriter(writer, type) : null;
        if (csv != null) {
            csv.header();
        }
        ProgressBar bar = new ProgressBar(progress, range.total());
        long read = 0;
        long written = 0;
        long filtered = 0;
        long invalid = 0;
        consumer.assign(range.stop().keySet());
        range.start().forEach(consumer::seek);
        Set<TopicPartition> remaining = new HashSet<>(range.stop().keySet());
        long lastProgress = System.nanoTime();
        while (!remaining.isEmpty()) {
            var records = consumer.poll(Duration.ofMillis(500));
            for (ConsumerRecord<byte[], byte[]> r : records) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                Long stop = range.stop().get(tp);
                if (stop == null || r.offset() >= stop) {
                    continue;
                }
                read++;
                Record value;
                try {
                    value = JsonCodec.fromBytes(r.value(), type);
                } catch (IllegalArgumentException | UncheckedIOException e) { // CodecException included
                    invalid++;
                    if (invalid <= 3 && progress != null) {
                        progress.println("\nskipping undecodable record " + tp + "@" + r.offset() + ": " + e.getMessage());
                    }
                    continue;
                }
                if (!options.symbols().isEmpty() && !options.symbols().contains(symbolOf(value))) {
                    filtered++;
                    continue;
                }
                write(writer, csv, r.value(), value);
                written++;
            }
            long done = 0;
            for (TopicPartition tp : range.stop().keySet()) {
                long position = remaining.contains(tp) ? consumer.position(tp) : range.stop().get(tp);
                long stop = range.stop().get(tp);
                if (position >= stop && remaining.remove(tp)) {
                    consumer.pause(List.of(tp));
                }
                done += Math.min(position, stop) - range.start().get(tp);
            }
            if (!records.isEmpty()) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
                throw new IllegalStateException("replay made no progress for " + STALL_LIMIT.toSeconds() + " s: is the broker up?");
            }
            bar.update(done, written);
        }
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bar.finish(range.total(), written);
        return new Result(read, written, filtered, invalid);
    }

    private static void write(Writer writer, CsvWriter csv, byte[] raw, Record value) {
        try {
            if (csv != null) {
                csv.row(value);
            } else {
                String json = new String(raw, StandardCharsets.UTF_8);
                // one object per line: re-encode the rare value that was stored pretty-printed
                writer.write(json.indexOf('\n') >= 0 ? JsonCodec.toJson(JsonCodec.tree(json)) : json);
                writer.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String symbolOf(Record value) {
        for (RecordComponent c : value.getClass().getRecordComponents()) {
            if (c.getName().equals("symbol")) {
                try {
                    return (String) c.getAccessor().invoke(value);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }
}
