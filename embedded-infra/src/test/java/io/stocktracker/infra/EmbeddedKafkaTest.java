package io.stocktracker.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stocktracker.schemas.contract.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {
    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        // a cleaner that wakes up often, so compaction is observable within a test
        kafka = EmbeddedKafka.start(Map.of("log.cleaner.backoff.ms", "200", "log.retention.check.interval.ms", "500"));
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), Topics.configs(), 3);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /**
     * A port taken between being picked and being bound (another process's connection drew it) made Kafka halt the
     * whole test JVM (2026-12-08, a fresh-clone CI run); the broker now starts on other ports.
     */
    @Test
    void aBrokerWhosePortWasTakenMeanwhileStartsOnOtherPortsAndTheJvmLives() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            int[] calls = {0};
            java.util.function.IntSupplier ports = () -> calls[0]++ == 1 ? taken.getLocalPort() : FreePorts.next(); // the first controller port
            EmbeddedKafka other = new EmbeddedKafka(java.nio.file.Files.createTempDirectory("kafka-taken-"), true, Map.of(), ports);
            try {
                other.startOnFreePorts();
                assertThat(calls[0]).as("ports drawn: two pairs").isEqualTo(4);
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, other.bootstrapServers()))) {
                    assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
                }
            } finally {
                other.close();
            }
        }
    }

    @Test
    void producesAndConsumesOnEveryQuoteTopic() throws Exception {
        try (var producer = producer()) {
            for (String topic : Topics.all()) {
                producer.send(new ProducerRecord<>(topic, "AAPL", "{\"topic\":\"" + topic + "\"}")).get();
            }
        }
        for (String topic : Topics.all()) {
            // other tests of the class write under their own keys to the same topics
            assertThat(readAll(topic)).filteredOn(r -> "AAPL".equals(r.key())).extracting(ConsumerRecord::value)
                    .containsExactly("{\"topic\":\"" + topic + "\"}");
        }
    }

    @Test
    void topicCreationIsIdempotentAndAppliesThePolicies() throws Exception {
        assertThat(TopicAdmin.ensureTopics(kafka.bootstrapServers(), Topics.configs(), 3)).isEmpty();
        try (Admin admin = admin()) {
            var latest = new ConfigResource(ConfigResource.Type.TOPIC, Topics.QUOTES_LATEST);
            var raw = new ConfigResource(ConfigResource.Type.TOPIC, Topics.QUOTES_RAW);
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(latest, raw)).all().get(30, TimeUnit.SECONDS);
            assertThat(configs.get(latest).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(raw).get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(configs.get(raw).get("retention.ms").value()).isEqualTo(String.valueOf(Duration.ofDays(7).toMillis()));
            assertThat(admin.describeTopics(List.of(Topics.QUOTES_LATEST)).allTopicNames().get()
                    .get(Topics.QUOTES_LATEST).partitions()).hasSize(3);
        }
    }

    @Test
    void compactedTopicKeepsOnlyTheLatestValuePerKey() throws Exception {
        // same policy as quotes.latest, with segments short enough for the cleaner to reach them in a test
        String topic = "compaction-check";
        Map<String, String> configs = new HashMap<>(Topics.configs().get(Topics.QUOTES_LATEST));
        configs.put("segment.ms", "100");
        configs.put("min.cleanable.dirty.ratio", "0.01");
        configs.put("min.compaction.lag.ms", "0");
        configs.put("delete.retention.ms", "100");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
        }
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "AAPL", "v1")).get();
            producer.send(new ProducerRecord<>(topic, "MSFT", "m1")).get();
            producer.send(new ProducerRecord<>(topic, "AAPL", "v2")).get();
            Thread.sleep(200);
            // the active segment is never cleaned: roll it by writing after segment.ms
            producer.send(new ProducerRecord<>(topic, "ROLL", "r")).get();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            try (var producer = producer()) {
                producer.send(new ProducerRecord<>(topic, "ROLL", "r")).get();
            }
            List<String> aapl = readAll(topic).stream().filter(r -> "AAPL".equals(r.key())).map(ConsumerRecord::value).toList();
            assertThat(aapl).containsExactly("v2");
        });
        assertThat(readAll(topic)).extracting(ConsumerRecord::key).contains("MSFT");
    }

    @Test
    void brokerRestartsOnTheSameAddressWithItsData() throws Exception {
        String topic = Topics.QUOTES_TICKS;
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "RST", "before")).get();
        }
        kafka.stop();
        assertThat(kafka.running()).isFalse();
        kafka.restart();
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "RST", "after")).get(60, TimeUnit.SECONDS);
        }
        assertThat(readAll(topic)).filteredOn(r -> "RST".equals(r.key())).extracting(ConsumerRecord::value)
                .containsExactly("before", "after");
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    /** Every record of the topic, from the beginning to the end offsets captured now. */
    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }
}
