package io.stocktracker.edge;

import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.infra.TopicAdmin;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.StockQuote;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** One real broker and one real redis-server for the whole test JVM (the machine is small). */
final class TestInfra {
    private static EmbeddedKafka kafka;
    private static EmbeddedRedis redis;
    private static KafkaProducer<String, byte[]> producer;
    private static Admin admin;
    private static final AtomicLong SEQ = new AtomicLong(System.currentTimeMillis() * 1000);

    static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.start();
            TopicAdmin.ensureTopics(kafka.bootstrapServers(), Topics.configs(), Topics.DEFAULT_PARTITIONS);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> kafka.close()));
        }
        return kafka;
    }

    static synchronized EmbeddedRedis redis() {
        if (redis == null) {
            redis = EmbeddedRedis.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> redis.close()));
        }
        return redis;
    }

    /** A config on free ports against the shared infrastructure, with a consumer group of its own unless given. */
    static EdgeConfig config(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("EDGE_PORT", "0");
        env.put("EDGE_ID", "test-edge-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka().bootstrapServers());
        env.put("REDIS_URL", redis().url());
        env.put("EDGE_CONSUMER_GROUP", "ws-edge-test-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("SHUTDOWN_GRACE_MS", "500");
        env.put("REDIS_RECONNECT_MAX_BACKOFF_MS", "500");
        // tests about other concerns use invented symbols; SymbolUniverseTest turns the check on
        env.put("SYMBOL_UNIVERSE_CHECK", "false");
        // every test client comes from 127.0.0.1, many per second (AdmissionTest sets its own rate)
        env.put("ADMISSION_RATE_PER_SECOND", "10000");
        env.put("ADMISSION_BURST", "10000");
        env.putAll(overrides);
        return EdgeConfig.fromEnv(env);
    }

    static long nextSeq() {
        return SEQ.incrementAndGet();
    }

    static StockQuote quote(String symbol, double price) {
        Instant now = Instant.now();
        return new StockQuote(symbol, price, 1.0, 0.5, 1000L, price + 1, price - 1, price, price - 1, now, "Simulated",
                nextSeq(), now, now);
    }

    /** Writes a quote to quotes.latest, keyed by symbol, the way streams-processor does. */
    static synchronized StockQuote publish(StockQuote quote) {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers());
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        try {
            producer.send(new ProducerRecord<>(Topics.QUOTES_LATEST, quote.symbol(), JsonCodec.toBytes(quote))).get();
        } catch (Exception e) {
            throw new IllegalStateException("publish failed", e);
        }
        return quote;
    }

    static StockQuote publish(String symbol, double price) {
        return publish(quote(symbol, price));
    }

    /**
     * The quotes.latest partitions the group coordinator has given this edge's group consumer (client id
     * {@code ws-edge-<EDGE_ID>}): what the broker says the edge relays, not what the edge says of itself.
     */
    static Set<Integer> partitionsOwnedBy(TestEdge edge) {
        String group = edge.config().consumerGroup();
        String clientId = "ws-edge-" + edge.config().edgeId();
        try {
            ConsumerGroupDescription d = admin().describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
            return d.members().stream().filter(m -> m.clientId().equals(clientId))
                    .flatMap(m -> m.assignment().topicPartitions().stream())
                    .filter(tp -> tp.topic().equals(Topics.QUOTES_LATEST))
                    .map(TopicPartition::partition)
                    .collect(Collectors.toCollection(HashSet::new));
        } catch (Exception e) {
            throw new IllegalStateException("describing group " + group + " failed", e);
        }
    }

    private static synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers()));
        }
        return admin;
    }

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TestInfra() {}
}
