package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.contract.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The symbol universe against a real broker, a real redis-server and real WebSocket clients: an invented ticker is
 * refused and leaves no state, the universe is followed live, distinct active symbols are capped per edge and
 * across edges, and symbols nobody streams leave the cache.
 */
class SymbolUniverseTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KafkaProducer<String, byte[]> producer;
    private static RedisClient redis;
    private static StatefulRedisConnection<String, String> redisConnection;
    private TestEdge edge;

    @BeforeAll
    static void listSymbols() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        for (String s : new String[] {"UNIA", "UNIB", "CAPA", "CAPB", "CAPC", "CLUA", "CLUB", "CLUC", "IDLEA", "IDLEB"}) {
            list(s, true);
        }
        redis = RedisClient.create(TestInfra.redis().url());
        redisConnection = redis.connect();
    }

    @AfterAll
    static void close() {
        producer.close();
        redisConnection.close();
        redis.shutdown();
    }

    @AfterEach
    void stopEdge() {
        if (edge != null) {
            edge.close();
        }
    }

    /** What ingest-connector writes: the listing's name, or a tombstone when the symbol left every listing. */
    private static void list(String symbol, boolean listed) {
        try {
            producer.send(new ProducerRecord<>(Topics.SYMBOLS_UNIVERSE, symbol,
                    listed ? "allow-list".getBytes(StandardCharsets.UTF_8) : null)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private TestEdge start(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(overrides);
        env.put("SYMBOL_UNIVERSE_CHECK", "true");
        TestEdge app = TestEdge.real(env);
        await().atMost(TestInfra.TIMEOUT).until(app::ready);
        return app;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anInventedTickerIsRefusedWithInvalidSymbolAndLeavesNoState() throws Exception {
        edge = start(Map.of());
        try (WsClient c = WsClient.open(edge.port())) {
            c.subscribe("QZXV42", "unia");
            JsonNode ack = c.next("subscribed");
            assertThat(ack.get("symbols")).extracting(JsonNode::asText).containsExactly("UNIA");
            assertThat(ack.get("rejected").get(0).get("symbol").asText()).isEqualTo("QZXV42");
            assertThat(ack.get("rejected").get(0).get("code").asText()).isEqualTo("INVALID_SYMBOL");
            JsonNode error = c.next("error");
            assertThat(error.get("code").asText()).isEqualTo("INVALID_SYMBOL");
            assertThat(error.get("message").asText()).contains("QZXV42 is not a listed symbol");

            // UNIA reached Redis, the invented one never did
            String key = Channels.activeSymbolsKey(edge.config().edgeId());
            await().atMost(TestInfra.TIMEOUT).until(() -> redisConnection.sync().smembers(key).contains("UNIA"));
            assertThat(redisConnection.sync().smembers(key)).doesNotContain("QZXV42");
            assertThat(edge.subscriptions().getActiveSymbols()).containsExactly("UNIA");
            assertThat(edge.cache().get("QZXV42")).isEmpty();
        }

        HttpResponse<String> one = get("/api/quotes/qzxv42");
        assertThat(one.statusCode()).isEqualTo(404);
        assertThat(JsonCodec.tree(one.body()).get("code").asText()).isEqualTo("INVALID_SYMBOL");
        assertThat(JsonCodec.tree(one.body()).get("message").asText()).contains("not a listed symbol");
        HttpResponse<String> batch = get("/api/quotes?symbols=UNIA,QZXV42");
        assertThat(batch.statusCode()).isEqualTo(400);
        assertThat(JsonCodec.tree(batch.body()).get("code").asText()).isEqualTo("INVALID_SYMBOL");
        assertThat(get("/api/quotes/UNIB").statusCode()).as("listed, no quote yet").isEqualTo(404);
        assertThat(JsonCodec.tree(get("/api/quotes/UNIB").body()).has("code")).isFalse();
    }

    @Test
    void theEdgeFollowsTheUniverseAsSymbolsAreListedAndDelisted() {
        edge = start(Map.of());
        try (WsClient c = WsClient.open(edge.port())) {
            c.subscribe("NEWLIST");
            assertThat(c.next("subscribed").get("rejected").get(0).get("code").asText()).isEqualTo("INVALID_SYMBOL");

            list("NEWLIST", true);
            await().atMost(TestInfra.TIMEOUT).until(() -> {
                c.subscribe("NEWLIST");
                return c.next("subscribed").get("symbols").size() == 1;
            });

            list("NEWLIST", false);
            c.unsubscribe("NEWLIST");
            c.next("unsubscribed");
            await().atMost(TestInfra.TIMEOUT).until(() -> {
                c.subscribe("NEWLIST");
                return c.next("subscribed").get("rejected").size() == 1;
            });
        }
    }

    @Test
    void theEdgeCapRefusesANewSymbolButNotOneAlreadyStreamed() {
        edge = start(Map.of("SYMBOL_MAX_ACTIVE_PER_EDGE", "2"));
        try (WsClient a = WsClient.open(edge.port()); WsClient b = WsClient.open(edge.port())) {
            a.subscribe("CAPA", "CAPB");
            assertThat(a.next("subscribed").get("symbols")).hasSize(2);

            b.subscribe("CAPC", "CAPA");
            JsonNode ack = b.next("subscribed");
            assertThat(ack.get("symbols")).extracting(JsonNode::asText).containsExactly("CAPA");
            assertThat(ack.get("rejected").get(0).get("symbol").asText()).isEqualTo("CAPC");
            assertThat(ack.get("rejected").get(0).get("code").asText()).isEqualTo("ACTIVE_SYMBOL_LIMIT_EXCEEDED");
            assertThat(b.next("error").get("message").asText()).contains("SYMBOL_MAX_ACTIVE_PER_EDGE");
            assertThat(edge.subscriptions().getActiveSymbols()).containsExactlyInAnyOrder("CAPA", "CAPB");

            a.unsubscribe("CAPB");
            a.next("unsubscribed");
            b.subscribe("CAPC");
            assertThat(b.next("subscribed").get("symbols")).extracting(JsonNode::asText).containsExactly("CAPC");
        }
    }

    @Test
    void theClusterCapCountsTheSymbolsOfEveryEdge() {
        // another edge streams CLUA and CLUB: its active-symbols set, as every edge keeps it
        String other = Channels.activeSymbolsKey("other-edge-" + System.nanoTime());
        redisConnection.sync().sadd(other, "CLUA", "CLUB");
        redisConnection.sync().pexpire(other, 120_000);
        try {
            edge = start(Map.of("SYMBOL_MAX_ACTIVE_CLUSTER", "2"));
            try (WsClient c = WsClient.open(edge.port())) {
                c.subscribe("CLUC", "CLUA");
                JsonNode ack = c.next("subscribed");
                assertThat(ack.get("symbols")).extracting(JsonNode::asText).containsExactly("CLUA");
                assertThat(ack.get("rejected").get(0).get("symbol").asText()).isEqualTo("CLUC");
                assertThat(ack.get("rejected").get(0).get("code").asText()).isEqualTo("ACTIVE_SYMBOL_LIMIT_EXCEEDED");
                assertThat(c.next("error").get("message").asText()).contains("SYMBOL_MAX_ACTIVE_CLUSTER");

                redisConnection.sync().srem(other, "CLUB");
                c.subscribe("CLUC");
                assertThat(c.next("subscribed").get("symbols")).extracting(JsonNode::asText).containsExactly("CLUC");
            }
        } finally {
            redisConnection.sync().del(other);
        }
    }

    @Test
    void aSymbolNobodySubscribesToLeavesTheCacheAndApiSymbolsOnceIdle() throws Exception {
        edge = start(Map.of("SYMBOL_IDLE_EVICT_MS", "1500"));
        try (WsClient c = WsClient.open(edge.port())) {
            c.subscribe("IDLEB");
            c.next("subscribed");
            TestInfra.publish("IDLEA", 10.0);
            TestInfra.publish("IDLEB", 20.0);
            await().atMost(TestInfra.TIMEOUT).until(() -> get("/api/symbols").body().contains("\"IDLEA\""));

            await().atMost(TestInfra.TIMEOUT).until(() -> !get("/api/symbols").body().contains("\"IDLEA\""));
            assertThat(get("/api/quotes/IDLEA").statusCode()).isEqualTo(404);
            assertThat(get("/api/symbols").body()).as("subscribed here: kept").contains("\"IDLEB\"");
            assertThat(edge.cache().get("IDLEB")).isPresent();
        }
    }
}
