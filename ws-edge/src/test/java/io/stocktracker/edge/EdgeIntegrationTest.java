package io.stocktracker.edge;

import static io.stocktracker.edge.TestInfra.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stocktracker.schemas.codec.JsonCodec;
import java.time.Instant;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed's integration list against one edge on a real broker and a real redis-server. */
class EdgeIntegrationTest {
    static TestEdge edge;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        edge = TestEdge.real(Map.of());
        await().atMost(TestInfra.TIMEOUT).until(edge::ready);
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void subscriberReceivesUpdatesUntilItUnsubscribes() {
        try (WsClient c = WsClient.open(edge.port())) {
            c.subscribe("SUBA");
            JsonNode ack = c.next("subscribed");
            assertThat(ack.get("symbols")).extracting(JsonNode::asText).containsExactly("SUBA");
            await().until(() -> edge.subscriptions().getSubscribers("SUBA").contains(c.clientId));

            StockQuote q = publish("SUBA", 101.5);
            JsonNode update = c.nextPrice("SUBA", 101.5);
            assertThat(update.get("type").asText()).isEqualTo("price_update");
            assertThat(update.get("data").get("seq").asLong()).isEqualTo(q.seq());

            c.unsubscribe("SUBA");
            assertThat(c.next("unsubscribed").get("symbols")).extracting(JsonNode::asText).containsExactly("SUBA");
            publish("SUBA", 102.5);
            // a marker on another subscribed symbol proves delivery went on while SUBA stayed silent
            c.subscribe("SUBB");
            c.next("subscribed");
            publish("SUBB", 7.0);
            List<JsonNode> seen = new java.util.ArrayList<>();
            c.next(m -> {
                seen.add(m);
                return WsClient.priceOf(m, "SUBB") == 7.0;
            }, Duration.ofSeconds(45), "SUBB marker");
            assertThat(seen).noneMatch(m -> WsClient.priceOf(m, "SUBA") == 102.5);
        }
    }

    @Test
    void otherClientsKeepReceivingWhenOneUnsubscribes() {
        try (WsClient a = WsClient.open(edge.port()); WsClient b = WsClient.open(edge.port()); WsClient c = WsClient.open(edge.port())) {
            for (WsClient x : List.of(a, b, c)) {
                x.subscribe("MULTI");
                x.next("subscribed");
            }
            publish("MULTI", 10.0);
            for (WsClient x : List.of(a, b, c)) {
                x.nextPrice("MULTI", 10.0);
            }
            a.unsubscribe("MULTI");
            a.next("unsubscribed");
            publish("MULTI", 11.0);
            b.nextPrice("MULTI", 11.0);
            c.nextPrice("MULTI", 11.0);
            assertThat(a.collect(Duration.ofMillis(500))).noneMatch(m -> WsClient.priceOf(m, "MULTI") == 11.0);
            assertThat(edge.subscriptions().getSubscribers("MULTI")).containsExactlyInAnyOrder(b.clientId, c.clientId);
        }
    }

    @Test
    void recordOnQuotesLatestReachesRedisAndTheClient() throws Exception {
        RedisClient redis = RedisClient.create(edge.config().redisUrl());
        try (StatefulRedisPubSubConnection<String, String> sub = redis.connectPubSub(); WsClient c = WsClient.open(edge.port())) {
            BlockingQueue<String> onChannel = new LinkedBlockingQueue<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    onChannel.add(message);
                }
            });
            sub.sync().subscribe(Channels.UPDATES);
            c.subscribe("BACKEND");
            c.next("subscribed");

            StockQuote q = publish("BACKEND", 250.25);
            c.nextPrice("BACKEND", 250.25);

            JsonNode published = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (published == null && System.nanoTime() < deadline) {
                String m = onChannel.poll(1, TimeUnit.SECONDS);
                if (m != null && m.contains("\"BACKEND\"")) {
                    published = JsonCodec.tree(m);
                }
            }
            assertThat(published).as("price_update on " + Channels.UPDATES).isNotNull();
            assertThat(published.get("type").asText()).isEqualTo("price_update");
            assertThat(published.get("symbol").asText()).isEqualTo("BACKEND");
            assertThat(published.get("data").get("price").asDouble()).isEqualTo(250.25);
            assertThat(published.get("data").get("seq").asLong()).isEqualTo(q.seq());
            assertThat(published.has("timestamp")).isTrue();
            // and the latest value is cached under quote:{SYMBOL}
            try (var cmd = redis.connect()) {
                assertThat(cmd.sync().get(Channels.quoteKey("BACKEND"))).contains("250.25");
            }
        } finally {
            redis.shutdown();
        }
    }

    @Test
    void opsEndpointsReportHealthReadinessMetricsAndUiConfig() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JsonCodec.tree(ready.body()).get("redisUp").asBoolean()).isTrue();
        try (WsClient c = WsClient.open(edge.port())) {
            c.subscribe("METRIC");
            c.next("subscribed");
            String metrics = get("/metrics").body();
            assertThat(metrics).contains("stocktracker_edge_connections_active", "stocktracker_edge_messages_in_total",
                    "stocktracker_edge_messages_out_total", "stocktracker_edge_quote_latency_seconds",
                    "stocktracker_edge_errors_total", "stocktracker_edge_reconnections_total",
                    "stocktracker_edge_symbol_subscribers{symbol=\"METRIC\"}", "jvm_memory_used_bytes",
                    "process_cpu_usage", "stocktracker_edge_slow_conflations_total", "stocktracker_edge_slow_disconnects_total");
        }
        HttpResponse<String> js = get("/config.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElse("")).contains("javascript");
        assertThat(js.body()).startsWith("window.__STOCKTRACKER_CONFIG__ = {").contains("\"enableWebSocket\":true",
                "\"fallbackToPolling\":true", "\"reconnectInterval\":", "\"rolloutPercent\":100");
    }

    @Test
    void controlMessagesArriveOverRedis() throws Exception {
        RedisClient redis = RedisClient.create(edge.config().redisUrl());
        try (var cmd = redis.connect(); WsClient c = WsClient.open(edge.port())) {
            cmd.sync().publish(Channels.CONTROL, JsonCodec.toJson(ControlMessage.of(ControlMessage.Command.drain,
                    edge.config().edgeId())));
            assertThat(c.awaitClose().code()).isEqualTo(1001);
        } finally {
            edge.control(ControlMessage.of(ControlMessage.Command.resume, "*"));
            redis.shutdown();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String base() {
        return "http://127.0.0.1:" + edge.port();
    }

    @Test
    void sourceErrorsFromRedisReachTheSymbolsSubscribers() {
        RedisClient redis = RedisClient.create(edge.config().redisUrl());
        try (var cmd = redis.connect(); WsClient c = WsClient.open(edge.port())) {
            c.subscribe("SRCERR");
            c.next("subscribed");
            ErrorMessage e = new ErrorMessage(ErrorCode.SOURCE_UNAVAILABLE, "every source failed", Instant.now(), "SRCERR");
            cmd.sync().publish(Channels.UPDATES, JsonCodec.toJson(e));
            JsonNode err = c.next("error");
            assertThat(err.get("code").asText()).isEqualTo("SOURCE_UNAVAILABLE");
            assertThat(err.get("symbol").asText()).isEqualTo("SRCERR");
        } finally {
            redis.shutdown();
        }
    }
}
