package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed's integration list for what the edge serves from its cache and how it obeys control commands, over the in-memory broker. */
class EdgeServingTest {
    static TestEdge edge;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        edge = TestEdge.inMemory(Map.of());
        await().atMost(TestInfra.TIMEOUT).until(edge::ready);
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void subscribeAnswersWithSnapshotsNewerThanSince() {
        StockQuote snap = edge.publish("SNAP", 42.0);
        await().until(() -> edge.cache().get("SNAP").map(q -> q.seq().equals(snap.seq())).orElse(false));
        try (WsClient c = WsClient.open(edge.port())) {
            c.subscribe("SNAP");
            c.next("subscribed");
            JsonNode s = c.next("price_update");
            assertThat(s.get("snapshot").asBoolean()).isTrue();
            assertThat(s.get("data").get("seq").asLong()).isEqualTo(snap.seq());
        }
        try (WsClient c = WsClient.open(edge.port())) {
            c.send("{\"action\":\"subscribe\",\"symbols\":[\"SNAP\"],\"since\":{\"SNAP\":" + snap.seq() + "}}");
            c.next("subscribed");
            assertThat(c.collect(Duration.ofMillis(500))).noneMatch(m -> "price_update".equals(m.path("type").asText()));
        }
    }

    @Test
    void restApiServesTheCache() throws Exception {
        edge.publish("RESTA", 12.5);
        edge.publish("RESTB", 13.5);
        await().until(() -> edge.cache().get("RESTA").isPresent() && edge.cache().get("RESTB").isPresent());

        HttpResponse<String> one = get("/api/quotes/resta");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JsonCodec.tree(one.body()).get("price").asDouble()).isEqualTo(12.5);
        assertThat(get("/api/quotes/NOPE-NOT-KNOWN").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = get("/api/quotes/bad%20symbol!");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JsonCodec.tree(bad.body()).get("code").asText()).isEqualTo("INVALID_SYMBOL");

        HttpResponse<String> many = get("/api/quotes?symbols=RESTA,RESTB,UNKNOWNZZ");
        assertThat(many.statusCode()).isEqualTo(200);
        assertThat(JsonCodec.tree(many.body())).extracting(n -> n.get("symbol").asText()).containsExactly("RESTA", "RESTB");
        assertThat(get("/api/quotes").statusCode()).isEqualTo(400);

        JsonNode symbols = JsonCodec.tree(get("/api/symbols").body());
        List<String> names = new java.util.ArrayList<>();
        symbols.forEach(n -> names.add(n.get("symbol").asText()));
        assertThat(names).contains("RESTA", "RESTB").isSorted();

        HttpResponse<String> cors = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/quotes/RESTA"))
                .header("Origin", "http://example.test").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cors.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
    }

    @Test
    void servesTheFrontendFromTheClasspathWithoutShadowingTheApi() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).contains("stocktracker-test-page");
        HttpResponse<String> deepLink = get("/watchlist/AAPL");
        assertThat(deepLink.statusCode()).isEqualTo(200);
        assertThat(deepLink.body()).contains("stocktracker-test-page");
        assertThat(get("/config.js").body()).startsWith("window.__STOCKTRACKER_CONFIG__");
        assertThat(get("/api/quotes/NOSUCHSYM").statusCode()).isEqualTo(404);
    }

    @Test
    void controlPausesResumesAndDrains() {
        try (WsClient c = WsClient.open(edge.port())) {
            c.subscribe("CTRL");
            c.next("subscribed");
            edge.control(ControlMessage.of(ControlMessage.Command.pause, "*"));
            edge.publish("CTRL", 1.0);
            await().until(() -> edge.cache().get("CTRL").map(q -> q.price() == 1.0).orElse(false));
            assertThat(c.collect(Duration.ofMillis(300))).noneMatch(m -> WsClient.priceOf(m, "CTRL") == 1.0);
            edge.control(ControlMessage.of(ControlMessage.Command.resume, "*"));
            c.nextPrice("CTRL", 1.0);
        }
        try (WsClient c = WsClient.open(edge.port())) {
            edge.control(ControlMessage.of(ControlMessage.Command.drain, "*"));
            assertThat(c.awaitClose().code()).isEqualTo(1001);
            assertThat(edge.ready()).isFalse();
            assertThatThrownBy(() -> WsClient.connect(edge.port())).hasStackTraceContaining("503");
        } finally {
            edge.control(ControlMessage.of(ControlMessage.Command.resume, "*"));
        }
        assertThat(edge.ready()).isTrue();
        try (WsClient c = WsClient.open(edge.port())) {
            assertThat(c.clientId).isNotBlank();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String base() {
        return "http://127.0.0.1:" + edge.port();
    }
}
