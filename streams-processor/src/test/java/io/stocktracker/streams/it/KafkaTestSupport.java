package io.stocktracker.streams.it;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.RawQuote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for the tests and the benchmark: produce raw quotes, read a topic from the start. */
public final class KafkaTestSupport {
    private KafkaTestSupport() {}

    /** Deletes the quote topics so each test starts from empty ones (the app under test recreates them). */
    public static void deleteQuoteTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> ours = Topics.all().stream().filter(existing::contains).collect(Collectors.toList());
            if (ours.isEmpty()) {
                return;
            }
            admin.deleteTopics(ours).all().get(30, TimeUnit.SECONDS);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                Set<String> now = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                if (ours.stream().noneMatch(now::contains)) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("topics not deleted: " + ours);
        }
    }

    public static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
    }

    public static void send(KafkaProducer<String, byte[]> producer, RawQuote q) {
        producer.send(new ProducerRecord<>(Topics.QUOTES_RAW, q.symbol(), JsonCodec.toBytes(q)));
    }

    public static KafkaConsumer<String, byte[]> consumer(String bootstrap, boolean readCommitted) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads {@code topic} from the beginning of every partition until {@code done} holds or the timeout passes. */
    public static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrap, String topic, boolean readCommitted,
            Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, readCommitted)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            if (partitions.isEmpty()) {
                return new ArrayList<>(); // not created yet
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(got) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            return got;
        }
    }
}
