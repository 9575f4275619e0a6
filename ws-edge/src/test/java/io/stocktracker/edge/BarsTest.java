package io.stocktracker.edge;

import static io.stocktracker.edge.security.TestTokens.claims;
import static io.stocktracker.edge.security.TestTokens.hs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.Bar;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The day's chart against a real broker, redis-server and sockets: bars written to quotes.bars.1m before the edge
 * started are served by {@code GET /api/bars/{symbol}} for the session (earlier ones are not), a range selects by window
 * start, bad parameters get their codes, and a bar written later reaches the subscribers that asked for bars.
 */
class BarsTest {
    private static final String SECRET = "a-bars-test-secret-long-enough-for-hs256-tokens";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The session opened two hours ago (whatever the time of day the test runs). */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private static final Instant SESSION_START = NOW.minus(Duration.ofHours(2));
    private static KafkaProducer<String, byte[]> producer;
    private static EdgeApp edge;
    private static String token;

    @BeforeAll
    static void writeBarsThenStartTheEdge() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        publish(bar("BARA", SESSION_START.minus(Duration.ofMinutes(5)), 90)); // the previous session's
        for (int m = 10; m > 0; m--) {
            publish(bar("BARA", NOW.minus(Duration.ofMinutes(m)), 100 - m));
        }
        producer.flush();
        String open = LocalTime.ofInstant(SESSION_START, ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("HH:mm"));
        edge = EdgeApp.start(TestInfra.config(Map.of(
                "AUTH_MODE", "jwt",
                "JWT_SECRET", SECRET,
                "BARS_SESSION_ZONE", "UTC",
                "BARS_SESSION_OPEN", open)));
        token = hs256(SECRET, claims("bars-" + UUID.randomUUID(), Instant.now().plusSeconds(1800)));
        await().atMost(TestInfra.TIMEOUT).until(() -> edge.ready());
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
        producer.close();
    }

    @Test
    void barsWrittenBeforeTheEdgeStartedAreServedForTodaysSessionOnly() throws Exception {
        JsonNode body = await().atMost(TestInfra.TIMEOUT).until(() -> JsonCodec.tree(get("/api/bars/bara", token).body()),
                b -> b.path("complete").asBoolean() && b.path("bars").size() >= 10);
        assertThat(body.get("symbol").asText()).isEqualTo("BARA");
        assertThat(Instant.parse(body.get("from").asText())).isEqualTo(SESSION_START);
        List<Double> closes = new java.util.ArrayList<>();
        body.get("bars").forEach(b -> closes.add(b.get("close").asDouble()));
        assertThat(closes.subList(0, 10)).containsExactly(90.0, 91.0, 92.0, 93.0, 94.0, 95.0, 96.0, 97.0, 98.0, 99.0);
        assertThat(body.get("bars").get(0).get("windowStart").asText()).isEqualTo(NOW.minus(Duration.ofMinutes(10)).toString());
    }

    @Test
    void aRangeSelectsBarsByWindowStart() throws Exception {
        await().atMost(TestInfra.TIMEOUT).until(() -> JsonCodec.tree(get("/api/bars/BARA", token).body()).path("bars").size() >= 10);
        String from = NOW.minus(Duration.ofMinutes(4)).toString();
        String to = NOW.minus(Duration.ofMinutes(2)).atOffset(ZoneOffset.ofHours(-5)).toString();
        HttpResponse<String> r = get("/api/bars/BARA?from=" + enc(from) + "&to=" + enc(to), token);
        assertThat(r.statusCode()).isEqualTo(200);
        List<Double> closes = new java.util.ArrayList<>();
        JsonCodec.tree(r.body()).get("bars").forEach(b -> closes.add(b.get("close").asDouble()));
        assertThat(closes).containsExactly(96.0, 97.0);
    }

    @Test
    void badParametersAreAnsweredWithTheirCodes() throws Exception {
        assertError(get("/api/bars/BARA?from=yesterday", token), 400, "INVALID_RANGE", "'from'");
        assertError(get("/api/bars/BARA?from=" + enc(NOW.toString()) + "&to=" + enc(NOW.minusSeconds(60).toString()), token),
                400, "INVALID_RANGE", "must be after");
        assertError(get("/api/bars/BARA?from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z", token), 400, "INVALID_RANGE",
                "longer than");
        assertError(get("/api/bars/" + enc("NOT A SYMBOL"), token), 400, "INVALID_SYMBOL", "Not a symbol");
        assertError(get("/api/bars/BARA", null), 401, "UNAUTHORIZED", "A token is required");
        String onlyOther = hs256(SECRET, claims("bars-" + UUID.randomUUID(), Instant.now().plusSeconds(600))
                .claim("symbols", List.of("OTHER")));
        assertError(get("/api/bars/BARA", onlyOther), 403, "FORBIDDEN_SYMBOL", "BARA");
    }

    @Test
    void aNewBarReachesTheSubscribersThatAskedForBarsAndTheStore() throws Exception {
        await().atMost(TestInfra.TIMEOUT).until(() -> JsonCodec.tree(get("/api/bars/BARB", token).body()).path("complete").asBoolean());
        URI ws = URI.create("ws://127.0.0.1:" + edge.port() + "/ws?token=" + token);
        try (WsClient withBars = WsClient.connect(ws); WsClient without = WsClient.connect(ws)) {
            withBars.next("connected");
            without.next("connected");
            withBars.send("{\"action\":\"subscribe\",\"symbols\":[\"BARB\"],\"bars\":true}");
            without.send("{\"action\":\"subscribe\",\"symbols\":[\"BARB\"]}");
            withBars.next("subscribed");
            without.next("subscribed");

            Bar live = bar("BARB", NOW.minus(Duration.ofMinutes(1)), 123.25);
            publish(live);
            JsonNode update = withBars.next("bar_update");
            assertThat(JsonCodec.mapper().treeToValue(update.get("bar"), Bar.class)).isEqualTo(live);
            // a pong answers after anything already queued for that connection: no bar_update came before it
            without.send("{\"action\":\"ping\"}");
            JsonNode first = without.next(m -> List.of("bar_update", "pong").contains(m.path("type").asText()),
                    Duration.ofSeconds(30), "pong");
            assertThat(first.get("type").asText()).isEqualTo("pong");

            JsonNode stored = JsonCodec.tree(get("/api/bars/BARB", token).body());
            assertThat(stored.get("bars")).hasSize(1);
            assertThat(stored.get("bars").get(0).get("close").asDouble()).isEqualTo(123.25);

            // bars: false (or absent) on a later subscribe turns the stream off again
            withBars.send("{\"action\":\"subscribe\",\"symbols\":[\"BARB\"],\"bars\":false}");
            withBars.next("subscribed");
            publish(bar("BARB", NOW, 124));
            await().atMost(TestInfra.TIMEOUT).until(() -> JsonCodec.tree(get("/api/bars/BARB", token).body()).get("bars").size() == 2);
            withBars.send("{\"action\":\"ping\"}");
            JsonNode next = withBars.next(m -> List.of("bar_update", "pong").contains(m.path("type").asText()),
                    Duration.ofSeconds(30), "pong");
            assertThat(next.get("type").asText()).isEqualTo("pong");
        }
    }

    @Test
    void aNonBooleanBarsOptionIsInvalidMessageNamingIt() {
        URI ws = URI.create("ws://127.0.0.1:" + edge.port() + "/ws?token=" + token);
        try (WsClient c = WsClient.connect(ws)) {
            c.next("connected");
            c.send("{\"action\":\"subscribe\",\"symbols\":[\"BARB\"],\"bars\":\"yes\"}");
            JsonNode error = c.next("error");
            assertThat(error.get("code").asText()).isEqualTo("INVALID_MESSAGE");
            assertThat(error.get("message").asText()).contains("'bars'");
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String mentions) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = JsonCodec.tree(r.body());
        assertThat(body.get("type").asText()).isEqualTo("error");
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).contains(mentions);
    }

    private static Bar bar(String symbol, Instant start, double close) {
        return new Bar(symbol, start, start.plusSeconds(60), close - 0.5, close + 1, close - 1, close, 1000, 20);
    }

    /** As streams-processor writes them: keyed by symbol, stamped with the bar's last millisecond. */
    private static void publish(Bar bar) throws Exception {
        producer.send(new ProducerRecord<>(Topics.QUOTES_BARS_1M, null, bar.windowEnd().toEpochMilli() - 1, bar.symbol(),
                JsonCodec.toBytes(bar))).get();
    }

    private static HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path))
                .timeout(Duration.ofSeconds(20));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
