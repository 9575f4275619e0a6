package io.stocktracker.edge;

import static io.stocktracker.edge.TestInfra.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stocktracker.schemas.codec.JsonCodec;
import java.time.Instant;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.ws.PriceUpdate;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.function.Predicate;
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

    /**
     * Bytes nobody vetted on market-data:updates (anyone who can PUBLISH there is heard): invalid UTF-8 in a field the
     * edge decodes and in one it skips, a payload that is not JSON and one far over any real update. A client gets valid
     * UTF-8 text frames only (RFC 6455 makes it fail the connection otherwise): what the edge cannot decode or is too large
     * is dropped and counted, the connection stays open and the next good quote arrives.
     */
    @Test
    void hostileBytesOnTheUpdatesChannelReachClientsAsValidUtf8OrNotAtAllAndAreCounted() throws Exception {
        // a lone continuation byte, a truncated 3-byte sequence, a UTF-8-encoded surrogate (CESU-8), an overlong '/'
        Map<String, byte[]> invalid = new LinkedHashMap<>();
        invalid.put("CONT", new byte[] {(byte) 0x80});
        invalid.put("TRUNC", new byte[] {(byte) 0xE2, (byte) 0x82});
        invalid.put("CESU", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        invalid.put("OVERLONG", new byte[] {(byte) 0xC0, (byte) 0xAF});
        invalid.put("ABOVE", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}); // past U+10FFFF
        Map<String, byte[]> payloads = new LinkedHashMap<>();
        invalid.forEach((name, bytes) -> {
            payloads.put("HSRC" + name, priceUpdate("HSRC" + name, "source", bytes)); // data.source: Jackson decodes it
            payloads.put("HNOTE" + name, priceUpdate("HNOTE" + name, "note", bytes)); // a field Jackson skips
        });
        // a source error (forwarded to the symbol's subscribers as it came) with a CESU-8 surrogate in its message
        String error = JsonCodec.toJson(new ErrorMessage(ErrorCode.SOURCE_UNAVAILABLE, "down@@", Instant.now(), "HERRCESU"));
        payloads.put("HERRCESU", withBytes(error, error.indexOf("@@"), 2, invalid.get("CESU")));
        payloads.put("HNOTJSON", "<html>not json</html>".getBytes(StandardCharsets.UTF_8));
        // a well-formed update with a megabyte in a field nobody reads: a quote's bytes go out as they came
        byte[] megabyte = new byte[1 << 20];
        Arrays.fill(megabyte, (byte) 'x');
        payloads.put("HHUGE", priceUpdate("HHUGE", "note", megabyte));
        String good = "HGOOD";
        List<String> symbols = new ArrayList<>(payloads.keySet());
        symbols.add(good);

        RedisClient redis = RedisClient.create(edge.config().redisUrl());
        try (var connection = redis.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
             RawWebSocket raw = RawWebSocket.connect(edge.port(), 0);
             WsClient client = WsClient.open(edge.port())) {
            RedisCommands<String, byte[]> cmd = connection.sync();
            List<String> rawFrames = new ArrayList<>();
            readUntil(raw, t -> t.contains("\"connected\""), rawFrames);
            raw.sendText("{\"action\":\"subscribe\",\"symbols\":" + JsonCodec.toJson(symbols) + "}");
            readUntil(raw, t -> t.contains("\"subscribed\""), rawFrames);
            client.subscribe(symbols.toArray(String[]::new));
            client.next("subscribed");
            double malformedBefore = malformedFromRedis();

            // one symbol each, so no update can stand in for another (conflation is per symbol)
            payloads.values().forEach(p -> cmd.publish(Channels.UPDATES, p));
            cmd.publish(Channels.UPDATES, priceUpdate(good, "source", new byte[0]));
            // pub/sub keeps a connection's order: once the good quote is out, every hostile one was handled
            readUntil(raw, t -> hasUpdate(t, good), rawFrames);
            client.next(m -> hasUpdate(m, good), Duration.ofSeconds(45), good);

            // Jackson checks UTF-8 in every string it reads or skips, so none of these gets as far as TextFrame (whose
            // replacement characters are the second line); the megabyte is refused before it is parsed
            assertThat(payloads.keySet()).as("hostile updates that reached the client")
                    .noneMatch(symbol -> rawFrames.stream().anyMatch(t -> hasUpdate(t, symbol)));
            assertThat(rawFrames).as("source errors that reached the client").noneMatch(t -> t.contains("\"type\":\"error\""));
            assertThat(malformedFromRedis() - malformedBefore).as("malformed counted").isEqualTo(payloads.size());
            assertThat(client.isOpen()).as("the JDK client (it fails the connection on invalid UTF-8) is still connected").isTrue();
            raw.sendText("{\"action\":\"ping\"}");
            readUntil(raw, t -> t.contains("\"pong\""), rawFrames);
        } finally {
            redis.shutdown();
        }
    }

    private static double malformedFromRedis() {
        return edge.parts.registry().get("edge.updates.malformed").tag("source", "redis").counter().count();
    }

    /** A price_update of {@code symbol} at 1.0 whose string {@code field} ("source" in data, or "note" beside it) holds these bytes. */
    private static byte[] priceUpdate(String symbol, String field, byte[] bytes) {
        Instant now = Instant.now();
        StockQuote q = new StockQuote(symbol, 1.0, 0.0, 0.0, 1L, 1.0, 1.0, 1.0, 1.0, now, "feed", TestInfra.nextSeq(), now, now);
        String json = JsonCodec.toJson(PriceUpdate.of(q, now));
        if ("source".equals(field)) {
            return withBytes(json, json.indexOf("\"source\":\"feed\"") + "\"source\":\"feed".length(), 0, bytes);
        }
        String open = json.substring(0, json.length() - 1) + ",\"" + field + "\":\"";
        return withBytes(open + "\"}", open.length(), 0, bytes);
    }

    /** The UTF-8 of {@code json} with {@code length} characters at {@code at} replaced by raw bytes. */
    private static byte[] withBytes(String json, int at, int length, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(json.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bytes);
        out.writeBytes(json.substring(at + length).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static boolean hasUpdate(String frame, String symbol) {
        return hasUpdate(JsonCodec.tree(frame), symbol);
    }

    private static boolean hasUpdate(JsonNode m, String symbol) {
        return !Double.isNaN(WsClient.priceOf(m, symbol));
    }

    /** Frames until a text frame matches; every one must be a text frame of valid UTF-8, the connection open. */
    private static String readUntil(RawWebSocket raw, Predicate<String> match, List<String> seen) throws Exception {
        while (true) {
            RawWebSocket.Frame f = raw.readMessage();
            assertThat(f).as("the raw client's connection is open").isNotNull();
            assertThat(f.opcode()).as("a text frame, not a close").isEqualTo(RawWebSocket.TEXT);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(f.payload())).toString();
            } catch (CharacterCodingException e) {
                throw new AssertionError("a text frame of invalid UTF-8 reached the client: " + f.text(), e);
            }
            seen.add(text);
            if (match.test(text)) {
                return text;
            }
        }
    }
}
