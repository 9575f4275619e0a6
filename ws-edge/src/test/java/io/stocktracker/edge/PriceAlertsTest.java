package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.AlertDefinition;
import io.stocktracker.schemas.model.AlertFired;
import io.stocktracker.schemas.model.AlertRule;
import io.stocktracker.schemas.validation.SchemaValidator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Price alerts at the edge against a real broker and redis-server. Without auth the edge evaluates a connection's
 * alerts itself; with AUTH_MODE=jwt streams-processor fires them (AlertTopologyTest), and here the test writes what it
 * writes to alerts.fired: the edge's relay, once-only delivery and restart survival are what is under test.
 */
class PriceAlertsTest {
    static final String SECRET = "a-price-alerts-test-secret-long-enough-for-hs256";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static EdgeApp open;
    static KafkaProducer<String, byte[]> producer;
    final List<EdgeApp> secured = new ArrayList<>();

    @BeforeAll
    static void start() {
        open = EdgeApp.start(TestInfra.config(Map.of("MAX_ALERTS", "2")));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        await().atMost(TestInfra.TIMEOUT).until(() -> open.ready());
    }

    @AfterAll
    static void stop() {
        open.close();
        producer.close();
    }

    @AfterEach
    void stopSecured() {
        secured.forEach(EdgeApp::close);
    }

    EdgeApp startSecured(String edgeId) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTH_MODE", "jwt");
        env.put("JWT_SECRET", SECRET);
        env.put("TIER_ALERT_LIMITS", "free:1,pro:3");
        if (edgeId != null) {
            env.put("EDGE_ID", edgeId);
        }
        EdgeApp app = EdgeApp.start(TestInfra.config(env));
        secured.add(app);
        await().atMost(TestInfra.TIMEOUT).until(app::ready);
        return app;
    }

    static String token(String sub, String tier) {
        var b = JWT.create().withSubject(sub).withExpiresAt(Instant.now().plusSeconds(600));
        if (tier != null) {
            b.withClaim("tier", tier);
        }
        return b.sign(Algorithm.HMAC256(SECRET));
    }

    static WsClient connect(EdgeApp edge, String sub) {
        WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + edge.port() + "/ws?token=" + token(sub, "pro")));
        c.clientId = c.next("connected").get("clientId").asText();
        return c;
    }

    static JsonNode alerts(WsClient c, String frame) {
        c.send(frame);
        JsonNode m = c.next(n -> "alerts".equals(n.path("type").asText()) || "error".equals(n.path("type").asText()),
                Duration.ofSeconds(30), "alerts or error");
        assertThat(SchemaValidator.shared().validate("server-message", m.toString())).as(m.toString()).isEmpty();
        return m;
    }

    static HttpResponse<String> rest(EdgeApp edge, String method, String path, String sub) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (sub != null) {
            b.header("Authorization", "Bearer " + token(sub, "pro"));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode restAlerts(EdgeApp edge, String sub) throws Exception {
        HttpResponse<String> r = rest(edge, "GET", "/api/alerts", sub);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonCodec.tree(r.body());
    }

    /** What streams-processor writes when the alert fires: the fired alert, then the definition's tombstone. */
    static void fire(String user, AlertRule rule, double price) throws Exception {
        String key = AlertDefinition.key(user, rule.alertId());
        producer.send(new ProducerRecord<>(Topics.ALERTS_FIRED, key,
                JsonCodec.toBytes(new AlertFired(user, rule, price, Instant.now())))).get();
        producer.send(new ProducerRecord<>(Topics.ALERTS_DEFINITIONS, key, null)).get();
    }

    static AlertRule rule(JsonNode alerts, String alertId) {
        for (JsonNode a : alerts.path("alerts")) {
            if (alertId.equals(a.path("alertId").asText())) {
                return JsonCodec.mapper().convertValue(a, AlertRule.class);
            }
        }
        throw new AssertionError("no alert " + alertId + " in " + alerts);
    }

    static String symbol() {
        return "AL" + UUID.randomUUID().toString().substring(0, 6).toUpperCase().replace("-", "");
    }

    @Test
    void withoutAuthAnAlertLivesOnItsConnectionAndFiresOnceOnTheQuotesTheEdgeFansOut() {
        String sym = symbol();
        try (WsClient c = WsClient.open(open.port()); WsClient other = WsClient.open(open.port())) {
            c.subscribe(sym);
            c.next("subscribed");
            JsonNode created = alerts(c, "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"" + sym + "\",\"above\":105}");
            String id = created.path("created").asText();
            assertThat(created.path("alerts")).hasSize(1);
            assertThat(alerts(other, "{\"action\":\"alert\",\"op\":\"list\"}").path("alerts")).isEmpty();

            TestInfra.publish(sym, 100.0);
            c.nextPrice(sym, 100.0);
            TestInfra.publish(sym, 106.0);
            JsonNode fired = c.next("alert_triggered");
            assertThat(fired.path("alert").path("alertId").asText()).isEqualTo(id);
            assertThat(fired.path("price").asDouble()).isEqualTo(106.0);
            assertThat(SchemaValidator.shared().validate("server-message", fired.toString())).isEmpty();

            TestInfra.publish(sym, 107.0);
            c.nextPrice(sym, 107.0);
            // fired once, then gone: the list answer comes after anything the edge queued before it
            JsonNode after = alerts(c, "{\"action\":\"alert\",\"op\":\"list\"}");
            assertThat(after.path("alerts")).isEmpty();
            assertThat(c.messages).noneMatch(m -> "alert_triggered".equals(m.path("type").asText()));
        }
    }

    @Test
    void badAlertsGetAnErrorNamingTheFieldAndTheLimitItsOwnCode() {
        try (WsClient c = WsClient.open(open.port())) {
            Map<String, String> bad = Map.of(
                    "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"TCS\",\"above\":\"105\"}", "'above'",
                    "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"TCS\",\"above\":-1}", "'above'",
                    "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"TCS\",\"above\":1,\"below\":2}", "exactly one of",
                    "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"TCS\",\"movePercent\":2}", "'windowSeconds'",
                    "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"TCS\",\"movePercent\":2,\"windowSeconds\":1.5}", "'windowSeconds'",
                    "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"TCS\",\"above\":1e400}", "'above'",
                    "{\"action\":\"alert\",\"op\":\"create\",\"above\":1}", "'symbol'",
                    "{\"action\":\"alert\",\"op\":\"explode\"}", "'op'",
                    "{\"action\":\"alert\",\"op\":\"delete\",\"alertId\":\"../x\"}", "'alertId'");
            bad.forEach((frame, field) -> {
                JsonNode e = alerts(c, frame);
                assertThat(e.path("type").asText()).as(frame).isEqualTo("error");
                assertThat(e.path("code").asText()).as(frame).isEqualTo("INVALID_MESSAGE");
                assertThat(e.path("message").asText()).as(frame).contains(field);
            });
            assertThat(alerts(c, "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"a b\",\"above\":1}").path("code").asText())
                    .isEqualTo("INVALID_SYMBOL");

            alerts(c, "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"TCS\",\"above\":1}");
            alerts(c, "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"TCS\",\"below\":1}");
            JsonNode third = alerts(c, "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"TCS\",\"movePercent\":1,\"windowSeconds\":60}");
            assertThat(third.path("code").asText()).isEqualTo("ALERT_LIMIT_EXCEEDED");
            assertThat(third.path("message").asText()).contains("At most 2 alerts");
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void anAlertThatFiredWhileTheUserWasOfflineIsDeliveredOnTheNextConnectAndNotAgainAfterItsAck() throws Exception {
        EdgeApp a = startSecured(null);
        EdgeApp b = startSecured(null);
        String user = "alice-" + UUID.randomUUID();
        String sym = symbol();
        AlertRule rule;
        try (WsClient c = connect(a, user)) {
            JsonNode created = alerts(c, "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"" + sym + "\",\"below\":50}");
            rule = rule(created, created.path("created").asText());
        }
        // every edge learns the user's alerts from alerts.definitions
        await().atMost(TestInfra.TIMEOUT).until(() -> restAlerts(b, user).path("alerts").size() == 1);

        fire(user, rule, 49.5); // nobody of the user is connected
        await().atMost(TestInfra.TIMEOUT).until(() -> restAlerts(b, user).path("pending").size() == 1);

        try (WsClient c = connect(b, user)) {
            JsonNode fired = c.next("alert_triggered");
            assertThat(fired.path("alert").path("alertId").asText()).isEqualTo(rule.alertId());
            assertThat(fired.path("price").asDouble()).isEqualTo(49.5);
            JsonNode acked = alerts(c, "{\"action\":\"alert\",\"op\":\"ack\",\"alertId\":\"" + rule.alertId() + "\"}");
            assertThat(acked.path("alerts")).isEmpty();
        }
        // the ack reached the other edge through the tombstone
        await().atMost(TestInfra.TIMEOUT).until(() -> restAlerts(a, user).path("pending").isEmpty());
        for (EdgeApp edge : List.of(a, b)) {
            try (WsClient c = connect(edge, user)) {
                // pending alerts are queued at connect, before any answer: none before this one means none at all
                alerts(c, "{\"action\":\"alert\",\"op\":\"list\"}");
                assertThat(c.messages).noneMatch(m -> "alert_triggered".equals(m.path("type").asText()));
            }
        }
    }

    @Test
    void anAlertThatFiresIsRelayedToEveryOpenConnectionOfItsUserOnEveryEdgeAndToNoOneElse() throws Exception {
        EdgeApp a = startSecured(null);
        EdgeApp b = startSecured(null);
        String user = "bob-" + UUID.randomUUID();
        try (WsClient onA = connect(a, user); WsClient onB = connect(b, user); WsClient stranger = connect(b, "eve-" + UUID.randomUUID())) {
            JsonNode created = alerts(onA, "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"" + symbol() + "\",\"movePercent\":3,\"windowSeconds\":60}");
            AlertRule rule = rule(created, created.path("created").asText());
            fire(user, rule, 97.0);
            assertThat(onA.next("alert_triggered").path("alert").path("alertId").asText()).isEqualTo(rule.alertId());
            assertThat(onB.next("alert_triggered").path("alert").path("alertId").asText()).isEqualTo(rule.alertId());
            alerts(stranger, "{\"action\":\"alert\",\"op\":\"list\"}");
            // the stranger's edge relayed the alert (onB has it), and the stranger's list answer came after: nothing for them
            assertThat(stranger.messages).noneMatch(m -> "alert_triggered".equals(m.path("type").asText()));
            // the definition's tombstone (written with the fired alert) takes it off the list
            await().atMost(TestInfra.TIMEOUT).until(() -> restAlerts(a, user).path("alerts").isEmpty());
        }
    }

    @Test
    void aUsersAlertsAndPendingAlertsSurviveARestartOfTheEdge() throws Exception {
        String edgeId = "alerts-restart-" + UUID.randomUUID().toString().substring(0, 8);
        EdgeApp first = startSecured(edgeId);
        String user = "carol-" + UUID.randomUUID();
        String kept;
        AlertRule firing;
        try (WsClient c = connect(first, user)) {
            kept = alerts(c, "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"" + symbol() + "\",\"above\":10}").path("created").asText();
            JsonNode created = alerts(c, "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"" + symbol() + "\",\"below\":5}");
            firing = rule(created, created.path("created").asText());
        }
        first.close();
        secured.remove(first);
        fire(user, firing, 4.0); // fires while the only edge is down

        EdgeApp second = startSecured(edgeId);
        await().atMost(TestInfra.TIMEOUT).until(() -> restAlerts(second, user).path("pending").size() == 1);
        try (WsClient c = connect(second, user)) {
            assertThat(c.next("alert_triggered").path("alert").path("alertId").asText()).isEqualTo(firing.alertId());
            JsonNode list = alerts(c, "{\"action\":\"alert\",\"op\":\"list\"}");
            assertThat(list.path("alerts")).extracting(n -> n.path("alertId").asText()).containsExactly(kept);
        }
    }

    @Test
    void theTierLimitsAUsersAlertsAcrossConnectionsAndRestNeedsABearerToken() throws Exception {
        EdgeApp a = startSecured(null);
        String user = "dan-" + UUID.randomUUID();
        String free = token(user, "free");
        try (WsClient c1 = WsClient.connect(URI.create("ws://127.0.0.1:" + a.port() + "/ws?token=" + free));
             WsClient c2 = WsClient.connect(URI.create("ws://127.0.0.1:" + a.port() + "/ws?token=" + free))) {
            c1.next("connected");
            c2.next("connected");
            assertThat(alerts(c1, "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"TCS\",\"above\":1}").path("type").asText())
                    .isEqualTo("alerts");
            JsonNode refused = alerts(c2, "{\"action\":\"alert\",\"op\":\"create\",\"symbol\":\"TCS\",\"above\":2}");
            assertThat(refused.path("code").asText()).isEqualTo("ALERT_LIMIT_EXCEEDED");
            assertThat(refused.path("message").asText()).contains("At most 1 alerts", "tier free");
        }
        HttpResponse<String> anonymous = rest(a, "GET", "/api/alerts", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(rest(a, "DELETE", "/api/alerts/pending/..%2Fx", user).statusCode()).isEqualTo(400);
    }
}
