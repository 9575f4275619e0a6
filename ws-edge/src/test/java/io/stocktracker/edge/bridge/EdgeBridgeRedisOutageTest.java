package io.stocktracker.edge.bridge;

import static io.stocktracker.edge.bridge.BridgeFixtures.quote;
import static io.stocktracker.edge.bridge.BridgeFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.infra.FreePorts;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.redis.SubscriptionChange.Action;
import io.stocktracker.schemas.ws.PriceUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real redis-server stopped and restarted under a running bridge, and a bridge started before Redis. */
class EdgeBridgeRedisOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        BridgeFixtures.createQuotesLatest(kafka.bootstrapServers(), Topics.QUOTES_LATEST);
        producer = BridgeFixtures.producer(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        BridgeFixtures.closeAll(producer, kafka);
    }

    private static BridgeConfig config(String edgeId, EmbeddedRedis redis, String group) {
        return config(edgeId, redis.url(), group);
    }

    private static BridgeConfig config(String edgeId, String redisUrl, String group) {
        return BridgeFixtures.config(kafka.bootstrapServers(), redisUrl, edgeId, Map.of("EDGE_CONSUMER_GROUP", group,
                "REDIS_RECONNECT_MAX_BACKOFF_MS", "500"));
    }

    /** A short-lived plain client: the server restarts under the test, so no connection is kept across it. */
    private static <T> T withRedis(EmbeddedRedis redis, Function<StatefulRedisConnection<String, String>, T> call) {
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return call.apply(c);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static double count(SimpleMeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void whileRedisIsDownTheEdgeServesItsPartitionsAndItRecoversResubscribedWithItsActiveSymbols() {
        var recorder = new BridgeFixtures.Recorder();
        var metrics = new SimpleMeterRegistry();
        String key = Channels.activeSymbolsKey("edge-outage");
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             EdgeBridge bridge = EdgeBridge.start(config("edge-outage", redis, "g-outage"), new LatestValueCache(), recorder,
                     recorder, metrics)) {
            await().atMost(WAIT).until(bridge::ready);
            bridge.interestChanged(Action.subscribe, List.of("WATCH1", "WATCH2"));
            await().atMost(WAIT).until(() -> withRedis(redis, c -> c.sync().scard(key)) == 2);
            send(producer, Topics.QUOTES_LATEST, quote("OUT", 1, 10));
            await().atMost(WAIT).until(() -> recorder.has("OUT", 1));
            // the group starts from the earliest offset, so the other tests' quotes may be relayed before the first
            // Redis connection is up and go out straight from Kafka too: count only what the outage delivers
            double kafkaBefore = metrics.get("edge.updates.delivered").tag("path", "kafka").counter().count();

            redis.stop();
            await().atMost(WAIT).until(() -> !bridge.redisUp());
            assertThat(bridge.ready()).isFalse();
            assertThat(metrics.get("edge.redis.up").gauge().value()).isZero();

            // Kafka keeps flowing: this edge owns every partition, so its clients still get every update
            send(producer, Topics.QUOTES_LATEST, quote("OUT", 2, 11));
            send(producer, Topics.QUOTES_LATEST, quote("OUT", 3, 12));
            send(producer, Topics.QUOTES_LATEST, quote("OUT2", 1, 20));
            await().atMost(WAIT).until(() -> recorder.has("OUT", 3) && recorder.has("OUT2", 1));
            assertThat(metrics.get("edge.updates.delivered").tag("path", "kafka").counter().count() - kafkaBefore)
                    .isEqualTo(3);
            // interest keeps changing while Redis is away
            bridge.interestChanged(Action.unsubscribe, List.of("WATCH2"));
            bridge.interestChanged(Action.subscribe, List.of("WATCH3"));

            redis.restart(); // same port, empty: nothing survived
            await().atMost(WAIT).until(bridge::redisUp);
            await().atMost(WAIT).until(bridge::ready);
            assertThat(count(metrics, "edge.redis.reconnections")).isEqualTo(1);

            // the active set is written back in full, with its TTL
            await().atMost(WAIT).until(() -> withRedis(redis, c -> c.sync().smembers(key)).equals(Set.of("WATCH1", "WATCH3")));
            assertThat(withRedis(redis, c -> c.sync().pttl(key)).longValue()).isPositive();
            // what only reached local clients during the outage is published again (other edges missed it)
            await().atMost(WAIT).until(() -> withRedis(redis, c -> c.sync().get(Channels.quoteKey("OUT2"))) != null);
            assertThat(JsonCodec.tree(withRedis(redis, c -> c.sync().get(Channels.quoteKey("OUT")))).get("seq").asLong())
                    .isEqualTo(3L);
            // resubscribed: a new PUBLISH reaches the listener
            withRedis(redis, c -> c.sync().publish(Channels.UPDATES,
                    JsonCodec.toJson(PriceUpdate.of(quote("AFTER", 1, 5), Instant.now()))));
            await().atMost(WAIT).until(() -> recorder.has("AFTER", 1));
            // and the replayed echo of what was already delivered is dropped, never delivered twice
            await().atMost(WAIT).until(() -> count(metrics, "edge.updates.duplicates.dropped") >= 3);
            assertThat(recorder.seqsOf("OUT")).containsExactly(1L, 2L, 3L);
            assertThat(recorder.seqsOf("OUT2")).containsExactly(1L);
            assertThat(count(metrics, "edge.redis.publish.failures")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void anEdgeStartedBeforeRedisServesFromKafkaThenConnects() {
        int port = FreePorts.next();
        var recorder = new BridgeFixtures.Recorder();
        try (EdgeBridge bridge = EdgeBridge.start(config("edge-early", "redis://127.0.0.1:" + port, "g-early"),
                new LatestValueCache(), recorder, recorder, new SimpleMeterRegistry())) {
            await().atMost(WAIT).until(() -> bridge.cacheReady() && bridge.kafkaAssigned());
            assertThat(bridge.redisUp()).isFalse();
            assertThat(bridge.ready()).isFalse();
            bridge.interestChanged(Action.subscribe, List.of("EARLY"));
            send(producer, Topics.QUOTES_LATEST, quote("EARLY", 1, 1));
            await().atMost(WAIT).until(() -> recorder.has("EARLY", 1));

            try (EmbeddedRedis redis = EmbeddedRedis.start(port)) {
                await().atMost(WAIT).until(bridge::ready);
                await().atMost(WAIT).until(() -> withRedis(redis, c -> c.sync().get(Channels.quoteKey("EARLY"))) != null);
                Set<String> members = withRedis(redis, c -> c.sync().smembers(Channels.activeSymbolsKey("edge-early")));
                assertThat(members).containsExactly("EARLY");
            }
        }
    }

    @Test
    void afterItsRedisGapAnEdgeCatchesUpWithWhatOtherEdgesPublishedMeanwhile() {
        // A and B share the group but not the Redis: whatever A publishes, B can only get by catching up
        var recorderA = new BridgeFixtures.Recorder();
        var recorderB = new BridgeFixtures.Recorder();
        var metricsB = new SimpleMeterRegistry();
        try (EmbeddedRedis redisA = EmbeddedRedis.start();
             EmbeddedRedis redisB = EmbeddedRedis.start();
             EdgeBridge a = EdgeBridge.start(config("edge-gap-a", redisA, "g-gap"), new LatestValueCache(), recorderA, recorderA,
                     new SimpleMeterRegistry());
             EdgeBridge b = EdgeBridge.start(config("edge-gap-b", redisB, "g-gap"), new LatestValueCache(), recorderB, recorderB,
                     metricsB)) {
            await().atMost(WAIT).until(() -> a.ready() && b.ready() && !a.assignment().isEmpty() && !b.assignment().isEmpty()
                    && a.assignment().size() + b.assignment().size() == Topics.DEFAULT_PARTITIONS);
            await().pollDelay(EdgeBridge.OFFSET_SAMPLE_INTERVAL.multipliedBy(2)).atMost(WAIT).until(() -> true); // B samples offsets

            redisB.stop();
            await().atMost(WAIT).until(() -> !b.redisUp());
            List<String> symbols = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "GAP" + i).toList();
            for (String s : symbols) {
                send(producer, Topics.QUOTES_LATEST, quote(s, 1, 1));
            }
            // A gets its partitions' quotes through its Redis, B (Redis down) its own ones straight from Kafka
            await().atMost(WAIT).until(() -> symbols.stream().allMatch(s -> recorderA.has(s, 1) || recorderB.has(s, 1)));
            assertThat(symbols.stream().filter(s -> recorderB.has(s, 1)).count())
                    .as("while down, B serves only its own partitions").isLessThan(symbols.size());

            redisB.restart();
            await().atMost(WAIT).until(() -> symbols.stream().allMatch(s -> recorderB.has(s, 1)));
            assertThat(metricsB.get("edge.updates.delivered").tag("path", "catchup").counter().count()).isPositive();
            for (String s : symbols) {
                assertThat(recorderB.seqsOf(s)).as(s).containsExactly(1L);
            }
        }
    }
}
