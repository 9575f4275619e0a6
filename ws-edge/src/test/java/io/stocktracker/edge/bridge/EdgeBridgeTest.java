package io.stocktracker.edge.bridge;

import static io.stocktracker.edge.bridge.BridgeFixtures.quote;
import static io.stocktracker.edge.bridge.BridgeFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.redis.SubscriptionChange.Action;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.PriceUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One bridge against a real broker and a real redis-server, observed with a plain Lettuce client. */
class EdgeBridgeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String EDGE = "edge-main";

    private static EmbeddedKafka kafka;
    private static EmbeddedRedis redis;
    private static KafkaProducer<String, String> producer;
    private static RedisClient observer;
    private static RedisCommands<String, String> redisCommands;
    private static StatefulRedisPubSubConnection<String, String> observerPubSub;
    private static final List<String[]> observed = new CopyOnWriteArrayList<>();

    private static final LatestValueCache cache = new LatestValueCache();
    private static final BridgeFixtures.Recorder recorder = new BridgeFixtures.Recorder();
    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private static EdgeBridge bridge;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        redis = EmbeddedRedis.start();
        BridgeFixtures.createQuotesLatest(kafka.bootstrapServers(), Topics.QUOTES_LATEST);
        producer = BridgeFixtures.producer(kafka.bootstrapServers());
        // history the bootstrap must find: the last value per symbol wins
        for (long seq = 1; seq <= 3; seq++) {
            send(producer, Topics.QUOTES_LATEST, quote("BOOT1", seq, 100 + seq));
        }
        send(producer, Topics.QUOTES_LATEST, quote("BOOT2", 1, 50));
        // evicted by streams-processor before this edge started: the quote and then its tombstone
        send(producer, Topics.QUOTES_LATEST, quote("BOOTGONE", 1, 70));
        BridgeFixtures.tombstone(producer, Topics.QUOTES_LATEST, "BOOTGONE");

        observer = RedisClient.create(redis.url());
        StatefulRedisConnection<String, String> connection = observer.connect();
        redisCommands = connection.sync();
        observerPubSub = observer.connectPubSub();
        observerPubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                observed.add(new String[] {channel, message});
            }
        });
        observerPubSub.sync().subscribe(Channels.UPDATES, Channels.SUBSCRIPTIONS);

        bridge = EdgeBridge.start(config(EDGE, "g-main"), cache, recorder, recorder, registry);
        await().atMost(WAIT).until(bridge::ready);
    }

    static BridgeConfig config(String edgeId, String group) {
        return BridgeFixtures.config(kafka.bootstrapServers(), redis.url(), edgeId, Map.of("EDGE_CONSUMER_GROUP", group,
                "ACTIVE_SYMBOLS_TTL_SECONDS", "3", "REDIS_RECONNECT_MAX_BACKOFF_MS", "1000"));
    }

    @AfterAll
    static void stop() {
        BridgeFixtures.closeAll(bridge, observer == null ? null : observer::shutdown, producer, redis, kafka);
    }

    private static List<JsonNode> observedOn(String channel, String containing) {
        return observed.stream().filter(m -> m[0].equals(channel) && m[1].contains(containing))
                .map(m -> JsonCodec.tree(m[1])).toList();
    }

    private static double counter(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void bootstrapReadsTheCompactedTopicAndReportsReady() {
        assertThat(bridge.cacheReady()).isTrue();
        assertThat(bridge.kafkaAssigned()).isTrue();
        assertThat(bridge.redisUp()).isTrue();
        assertThat(cache.get("BOOT1")).get().satisfies(q -> {
            assertThat(q.seq()).isEqualTo(3L);
            assertThat(q.price()).isEqualTo(103.0);
        });
        assertThat(cache.get("BOOT2")).isPresent();
        assertThat(cache.get("BOOTGONE")).as("a tombstone after its quote: evicted").isEmpty();
        assertThat(registry.get("edge.cache.symbols").gauge().value()).isGreaterThanOrEqualTo(2);
        assertThat(registry.get("edge.redis.up").gauge().value()).isEqualTo(1);
    }

    @Test
    void aRecordOnQuotesLatestReachesRedisSubscribersAsTheSeedPriceUpdateAndTheListener() {
        send(producer, Topics.QUOTES_LATEST, quote("LIVE1", 1, 123.45));

        await().atMost(WAIT).until(() -> !observedOn(Channels.UPDATES, "\"LIVE1\"").isEmpty());
        JsonNode message = observedOn(Channels.UPDATES, "\"LIVE1\"").get(0);
        assertThat(message.get("type").asText()).isEqualTo("price_update");
        assertThat(message.get("symbol").asText()).isEqualTo("LIVE1");
        assertThat(message.get("source").asText()).isEqualTo("Simulated");
        assertThat(Instant.parse(message.get("timestamp").asText())).isBefore(Instant.now().plusSeconds(1));
        JsonNode data = message.get("data");
        assertThat(data.get("symbol").asText()).isEqualTo("LIVE1");
        assertThat(data.get("price").asDouble()).isEqualTo(123.45);
        assertThat(data.get("change").asDouble()).isEqualTo(1.25);
        assertThat(data.get("changePercent").asDouble()).isEqualTo(0.5);
        assertThat(data.get("volume").asLong()).isEqualTo(1001L);
        assertThat(data.get("seq").asLong()).isEqualTo(1L);
        assertThat(Instant.parse(data.get("timestamp").asText())).isNotNull();

        await().atMost(WAIT).until(() -> recorder.has("LIVE1", 1));
        var delivered = recorder.quotes.stream().filter(d -> d.quote().symbol().equals("LIVE1")).findFirst().orElseThrow();
        String redisPayload = observed.stream().filter(m -> m[1].contains("\"LIVE1\"")).findFirst().orElseThrow()[1];
        assertThat(new String(delivered.frame(), StandardCharsets.UTF_8)).as("the Redis bytes, forwarded as they came")
                .isEqualTo(redisPayload);
        assertThat(cache.get("LIVE1")).get().extracting(q -> q.price()).isEqualTo(123.45);

        String stored = redisCommands.get(Channels.quoteKey("LIVE1"));
        assertThat(JsonCodec.tree(stored).get("seq").asLong()).isEqualTo(1L);
        assertThat(redisCommands.pttl(Channels.quoteKey("LIVE1"))).isBetween(1L, 10_000L);
        assertThat(counter("edge.kafka.records.consumed")).isGreaterThanOrEqualTo(1);
        assertThat(counter("edge.redis.published")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aTombstoneOnQuotesLatestRemovesTheSymbolFromTheCacheUntilItsNextQuote() {
        send(producer, Topics.QUOTES_LATEST, quote("EVICT1", 7, 20));
        await().atMost(WAIT).until(() -> cache.get("EVICT1").isPresent());
        double removedBefore = counter("edge.cache.symbols.removed");

        BridgeFixtures.tombstone(producer, Topics.QUOTES_LATEST, "EVICT1");
        await().atMost(WAIT).until(() -> cache.get("EVICT1").isEmpty());
        assertThat(cache.symbols()).doesNotContain("EVICT1");
        assertThat(counter("edge.cache.symbols.removed")).isEqualTo(removedBefore + 1);
        assertThat(bridge.redisUp()).as("the bridge keeps running").isTrue();

        send(producer, Topics.QUOTES_LATEST, quote("EVICT1", 8_000_000, 21));
        await().atMost(WAIT).until(() -> cache.get("EVICT1").map(q -> q.seq() == 8_000_000L).orElse(false));
    }

    @Test
    void duplicateAndOlderSeqAreDroppedBeforeTheListener() {
        double droppedBefore = counter("edge.updates.duplicates.dropped");
        for (long seq : new long[] {5, 5, 3, 6}) {
            send(producer, Topics.QUOTES_LATEST, quote("DUP", seq, 10 + seq));
        }
        await().atMost(WAIT).until(() -> recorder.has("DUP", 6));
        // a replay straight onto the channel (another edge republishing after a rebalance) is dropped as well
        redisCommands.publish(Channels.UPDATES, JsonCodec.toJson(PriceUpdate.of(quote("DUP", 6, 16), Instant.now())));
        await().atMost(WAIT).until(() -> counter("edge.updates.duplicates.dropped") >= droppedBefore + 3);
        assertThat(recorder.seqsOf("DUP")).containsExactly(5L, 6L);
    }

    @Test
    void sourceErrorsAndControlReachTheirListenersAndMalformedPayloadsAreCountedNotFatal() {
        double malformedBefore = counter("edge.updates.malformed");
        redisCommands.publish(Channels.UPDATES, "this is not json");
        redisCommands.publish(Channels.UPDATES, "{\"type\":\"price_update\",\"symbol\":\"BAD\",\"data\":{\"price\":\"oops\"}}");
        redisCommands.publish(Channels.CONTROL, "{\"type\":\"control\",\"command\":\"explode\"}");
        redisCommands.publish(Channels.UPDATES, JsonCodec.toJson(
                new ErrorMessage(ErrorCode.SUBSCRIPTION_FAILED, "AlphaVantage rate limited", Instant.now(), "ERR1")));
        redisCommands.publish(Channels.CONTROL, JsonCodec.toJson(ControlMessage.of(ControlMessage.Command.pause, "some-other-edge")));
        redisCommands.publish(Channels.CONTROL, JsonCodec.toJson(ControlMessage.of(ControlMessage.Command.pause, "*")));
        redisCommands.publish(Channels.CONTROL, JsonCodec.toJson(ControlMessage.of(ControlMessage.Command.resume, EDGE)));
        redisCommands.publish(Channels.UPDATES, JsonCodec.toJson(PriceUpdate.of(quote("AFTERBAD", 1, 1), Instant.now())));

        await().atMost(WAIT).until(() -> recorder.has("AFTERBAD", 1));
        assertThat(counter("edge.updates.malformed")).isEqualTo(malformedBefore + 3);
        assertThat(recorder.errors).singleElement().satisfies(e -> {
            assertThat(e.symbol()).isEqualTo("ERR1");
            assertThat(e.code()).isEqualTo(ErrorCode.SUBSCRIPTION_FAILED);
        });
        assertThat(recorder.controls).extracting(ControlMessage::command)
                .containsExactly(ControlMessage.Command.pause, ControlMessage.Command.resume);
        assertThat(bridge.redisUp()).isTrue();
    }

    @Test
    void interestChangesArePublishedAndKeptInTheActiveSymbolsSetWithAHeartbeatTtl() {
        String key = Channels.activeSymbolsKey(EDGE);
        bridge.interestChanged(Action.subscribe, List.of("AAA", "BBB"));
        await().atMost(WAIT).until(() -> !observedOn(Channels.SUBSCRIPTIONS, "\"AAA\"").isEmpty());
        JsonNode change = observedOn(Channels.SUBSCRIPTIONS, "\"AAA\"").get(0);
        assertThat(change.get("type").asText()).isEqualTo("subscription_change");
        assertThat(change.get("action").asText()).isEqualTo("subscribe");
        assertThat(change.get("edgeId").asText()).isEqualTo(EDGE);
        assertThat(change.get("symbols")).extracting(JsonNode::asText).containsExactly("AAA", "BBB");
        assertThat(change.get("timestamp").asText()).isNotBlank();
        assertThat(redisCommands.smembers(key)).containsExactlyInAnyOrder("AAA", "BBB");
        assertThat(redisCommands.pttl(key)).isBetween(1L, 3000L);

        bridge.interestChanged(Action.unsubscribe, List.of("AAA"));
        await().atMost(WAIT).until(() -> observedOn(Channels.SUBSCRIPTIONS, "\"unsubscribe\"").stream()
                .anyMatch(n -> n.get("symbols").toString().equals("[\"AAA\"]")));
        assertThat(redisCommands.smembers(key)).containsExactly("BBB");
        assertThat(bridge.activeSymbols()).containsExactly("BBB");

        // the heartbeat keeps a 3 s TTL alive well past 3 s
        await().pollDelay(Duration.ofSeconds(4)).atMost(WAIT).until(() -> true);
        assertThat(redisCommands.smembers(key)).containsExactly("BBB");
        // a lost key (Redis restarted empty, or expired during an outage) is written back
        redisCommands.del(key);
        await().atMost(WAIT).until(() -> redisCommands.smembers(key).equals(Set.of("BBB")));
        assertThat(redisCommands.pttl(key)).isPositive();
        bridge.interestChanged(Action.unsubscribe, List.of("BBB"));
        await().atMost(WAIT).until(() -> redisCommands.exists(key) == 0);
    }

    @Test
    void closeRemovesTheEdgesKeyAndAnnouncesTheRemainingSymbolsAsUnsubscribed() {
        var recorder2 = new BridgeFixtures.Recorder();
        EdgeBridge closing = EdgeBridge.start(config("edge-closing", "g-closing"), new LatestValueCache(), recorder2, recorder2,
                new SimpleMeterRegistry());
        try {
            await().atMost(WAIT).until(closing::ready);
            closing.interestChanged(Action.subscribe, List.of("CCC", "DDD"));
            String key = Channels.activeSymbolsKey("edge-closing");
            await().atMost(WAIT).until(() -> redisCommands.scard(key) == 2);
        } finally {
            closing.close();
        }
        assertThat(redisCommands.exists(Channels.activeSymbolsKey("edge-closing"))).isZero();
        await().atMost(WAIT).until(() -> observedOn(Channels.SUBSCRIPTIONS, "edge-closing").stream()
                .anyMatch(n -> n.get("action").asText().equals("unsubscribe") && n.get("symbols").size() == 2));
        assertThat(closing.ready()).isFalse();
        closing.close(); // idempotent
    }

    @Test
    void aMissingTopicIsNotCreatedAndTheEdgeStartsEmptyThenPicksItUp() throws Exception {
        String topic = "quotes.latest.late";
        var recorder2 = new BridgeFixtures.Recorder();
        var cache2 = new LatestValueCache();
        try (EdgeBridge late = EdgeBridge.start(config("edge-late", "g-late"), cache2, recorder2, recorder2,
                new SimpleMeterRegistry(), topic, Duration.ofSeconds(2))) {
            await().atMost(WAIT).until(late::cacheReady);
            assertThat(cache2.symbols()).isEmpty();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).as("the edge must not auto-create it").doesNotContain(topic);
            }
            BridgeFixtures.createQuotesLatest(kafka.bootstrapServers(), topic);
            await().atMost(WAIT).until(late::ready);
            send(producer, topic, quote("LATE", 1, 9.5));
            await().atMost(WAIT).until(() -> recorder2.has("LATE", 1));
        }
    }
}
