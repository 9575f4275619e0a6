package io.stocktracker.ingest.universe;

import io.stocktracker.schemas.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code symbols.universe} as ingest sees it: read whole once at start (what an earlier run listed, so a
 * symbol that left a listing while ingest was down still gets its tombstone), then written as differences.
 */
final class UniverseTopic implements AutoCloseable {
    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;

    UniverseTopic(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "ingest-universe");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** symbol -> listing name, as the topic holds it now (tombstones applied). */
    Map<String, String> read(Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "ingest-universe-reader");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, String> listed = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(Topics.SYMBOLS_UNIVERSE, timeout);
            if (partitions == null || partitions.isEmpty()) {
                return listed;
            }
            List<TopicPartition> tps = partitions.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        listed.remove(r.key());
                    } else {
                        listed.put(r.key(), new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return listed;
    }

    /** Writes every upsert and a tombstone per removed symbol, and waits until the broker has them all. */
    void publish(Map<String, String> upserts, Set<String> removed) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        upserts.forEach((symbol, source) -> sent.add(producer.send(
                new ProducerRecord<>(Topics.SYMBOLS_UNIVERSE, symbol, source.getBytes(StandardCharsets.UTF_8)))));
        removed.forEach(symbol -> sent.add(producer.send(new ProducerRecord<>(Topics.SYMBOLS_UNIVERSE, symbol, null))));
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
