package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.validation.SchemaValidator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's security items 1 and 2 over real sockets: token lifetime and refresh (docs/PROTOCOL.md "Token lifetime
 * and refresh"), per-user connection and message limits, and subscription limits per tier. Every test uses a
 * subject of its own, so per-user state never leaks between tests.
 */
class TokenRefreshTest {
    static final String SECRET = "a-refresh-test-secret-long-enough-for-hs256";
    static final Duration WINDOW = Duration.ofMillis(1500);
    static TestEdge secured;
    static TestEdge open;

    @BeforeAll
    static void start() {
        secured = TestEdge.inMemory(Map.of(
                "AUTH_MODE", "jwt",
                "JWT_SECRET", SECRET,
                "TOKEN_REFRESH_WINDOW_MS", String.valueOf(WINDOW.toMillis()),
                "MAX_CONNECTIONS_PER_USER", "2",
                "USER_MESSAGE_RATE_PER_SECOND", "1",
                "USER_MESSAGE_BURST", "10",
                "MAX_SUBSCRIPTIONS", "5",
                "TIER_SUBSCRIPTION_LIMITS", "free:2,pro:4"));
        open = TestEdge.inMemory(Map.of());
        await().atMost(TestInfra.TIMEOUT).until(() -> secured.ready() && open.ready());
    }

    @AfterAll
    static void stop() {
        if (secured != null) {
            secured.close();
        }
        if (open != null) {
            open.close();
        }
    }

    @Test
    void expiringNoticeArrivesBeforeExpThenAnUnrefreshedConnectionGetsUnauthorizedAnd4001() {
        String sub = subject();
        Instant exp = expiresIn(3);
        double closedBefore = secured.parts.access().metrics().expiredClosed.count();
        try (WsClient c = connect(token(sub, exp).sign(hs256()))) {
            JsonNode notice = c.next("token_expiring");
            Instant noticedAt = Instant.now();
            assertThat(Instant.parse(notice.get("expiresAt").asText())).isEqualTo(exp);
            assertThat(noticedAt).isBefore(exp);
            assertThat(SchemaValidator.shared().validate("server-message", notice.toString())).isEmpty();

            JsonNode error = c.next("error");
            assertThat(error.get("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(error.get("message").asText()).isEqualTo("token expired");
            assertThat(Instant.now()).isAfterOrEqualTo(exp.minusMillis(50));
            assertThat(c.awaitClose().code()).isEqualTo(CloseCode.UNAUTHORIZED.code());
        }
        assertThat(secured.parts.access().metrics().expiredClosed.count()).isGreaterThan(closedBefore);
    }

    @Test
    void aTokenAlreadyPastItsExpIsRefusedAtConnectSayingSo() {
        try (WsClient c = WsClient.connect(uri(token(subject(), Instant.now().minusSeconds(2)).sign(hs256())))) {
            JsonNode error = c.next("error");
            assertThat(error.get("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(error.get("message").asText()).isEqualTo("Token expired");
            assertThat(c.awaitClose().code()).isEqualTo(CloseCode.UNAUTHORIZED.code());
        }
    }

    @Test
    void refreshWithAValidTokenExtendsTheSessionPastTheOldExp() {
        String sub = subject();
        Instant oldExp = expiresIn(3);
        Instant newExp = expiresIn(120);
        double okBefore = secured.parts.access().metrics().refreshesOk.count();
        try (WsClient c = connect(token(sub, oldExp).sign(hs256()))) {
            c.subscribe("RFA");
            c.next("subscribed");
            c.next("token_expiring");
            c.send(refresh(token(sub, newExp).sign(hs256())));
            JsonNode refreshed = c.next("token_refreshed");
            assertThat(Instant.parse(refreshed.get("expiresAt").asText())).isEqualTo(newExp);
            assertThat(SchemaValidator.shared().validate("server-message", refreshed.toString())).isEmpty();

            await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(oldExp.plusMillis(700)));
            assertUsable(c);
            assertThat(c.isOpen()).isTrue();
            assertThat(secured.subscriptions().getClientSubscriptions(c.clientId)).containsExactly("RFA");
        }
        assertThat(secured.parts.access().metrics().refreshesOk.count()).isGreaterThan(okBefore);
        assertThat(scrape()).contains("stocktracker_edge_token_refreshes_total{result=\"ok\"}",
                "stocktracker_edge_token_refreshes_total{result=\"failed\"}", "stocktracker_edge_token_expired_total",
                "stocktracker_edge_user_refusals_total{limit=\"connections\"}", "stocktracker_edge_users_connected");
    }

    private static String scrape() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + secured.port() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void refusedRefreshesSayWhyAndTheConnectionWorksUntilTheOldExpThenCloses4001() {
        String sub = subject();
        Instant exp = expiresIn(5);
        double failedBefore = secured.parts.access().metrics().refreshesFailed.count();
        try (WsClient c = connect(token(sub, exp).sign(hs256()))) {
            c.send(refresh(token(sub, expiresIn(120)).sign(Algorithm.HMAC256("another-secret-another-secret-another"))));
            assertUnauthorized(c, "signature");
            c.send(refresh(token("someone-else-" + sub, expiresIn(120)).sign(hs256())));
            assertUnauthorized(c, "another subject");
            c.send(refresh(token(sub, Instant.now().minusSeconds(30)).sign(hs256())));
            assertUnauthorized(c, "expired");
            c.send(refresh("not-a-jwt"));
            assertUnauthorized(c, "malformed");
            assertUsable(c);

            JsonNode error = c.next(m -> "error".equals(m.path("type").asText()), Duration.ofSeconds(30), "expiry error");
            assertThat(error.get("message").asText()).isEqualTo("token expired");
            assertThat(Instant.now()).isAfterOrEqualTo(exp.minusMillis(50));
            assertThat(c.awaitClose().code()).isEqualTo(CloseCode.UNAUTHORIZED.code());
        }
        assertThat(secured.parts.access().metrics().refreshesFailed.count()).isGreaterThanOrEqualTo(failedBefore + 4);
    }

    @Test
    void refreshNarrowingSymbolsDropsTheSubscriptionsItNoLongerAllows() {
        String sub = subject();
        // tier pro (4 subscriptions): a token without tier would get the smallest, free's 2
        try (WsClient c = connect(token(sub, expiresIn(120)).withArrayClaim("symbols", new String[] {"NRA", "NRB", "NRC"})
                .withClaim("tier", "pro").sign(hs256()))) {
            c.subscribe("NRA", "NRB", "NRC");
            assertThat(c.next("subscribed").get("symbols")).hasSize(3);
            c.send(refresh(token(sub, expiresIn(120)).withArrayClaim("symbols", new String[] {"NRA"}).withClaim("tier", "pro").sign(hs256())));

            List<String> forbidden = new ArrayList<>();
            forbidden.add(forbiddenSymbol(c.next("error")));
            forbidden.add(forbiddenSymbol(c.next("error")));
            assertThat(forbidden).containsExactlyInAnyOrder("NRB", "NRC");
            assertThat(c.next("unsubscribed").get("symbols")).extracting(JsonNode::asText).containsExactlyInAnyOrder("NRB", "NRC");
            c.next("token_refreshed");
            assertThat(secured.subscriptions().getClientSubscriptions(c.clientId)).containsExactly("NRA");

            c.subscribe("NRB");
            JsonNode ack = c.next("subscribed");
            assertThat(ack.get("symbols")).isEmpty();
            assertThat(ack.get("rejected").get(0).get("code").asText()).isEqualTo("FORBIDDEN_SYMBOL");
        }
    }

    @Test
    void tierLimitsSubscriptionsAndARefreshChangesIt() {
        String sub = subject();
        try (WsClient c = connect(token(sub, expiresIn(120)).withClaim("tier", "free").sign(hs256()))) {
            c.subscribe("TRA", "TRB", "TRC");
            JsonNode ack = c.next("subscribed");
            assertThat(ack.get("symbols")).extracting(JsonNode::asText).containsExactly("TRA", "TRB");
            JsonNode rejected = ack.get("rejected").get(0);
            assertThat(rejected.get("symbol").asText()).isEqualTo("TRC");
            assertThat(rejected.get("code").asText()).isEqualTo("SUBSCRIPTION_LIMIT_EXCEEDED");
            assertThat(rejected.get("reason").asText()).contains("At most 2", "tier free");

            c.send(refresh(token(sub, expiresIn(120)).withClaim("tier", "pro").sign(hs256())));
            c.next("token_refreshed");
            c.subscribe("TRC", "TRD", "TRE");
            ack = c.next("subscribed");
            assertThat(ack.get("symbols")).extracting(JsonNode::asText).containsExactly("TRC", "TRD");
            assertThat(ack.get("rejected").get(0).get("reason").asText()).contains("At most 4", "tier pro");
        }
        try (WsClient c = connect(token(subject(), expiresIn(120)).sign(hs256()))) {
            c.subscribe("TRA", "TRB", "TRC", "TRD", "TRE", "TRF");
            JsonNode ack = c.next("subscribed");
            assertThat(ack.get("symbols")).as("no tier: the smallest tier's limit, never MAX_SUBSCRIPTIONS").hasSize(2);
            assertThat(ack.get("rejected").get(0).get("reason").asText()).isEqualTo("At most 2 subscriptions per connection");
        }
    }

    @Test
    void connectionsPerUserAreCappedAcrossConnectionsWhileAnotherUserStillConnects() {
        String carol = subject();
        String token = token(carol, expiresIn(120)).sign(hs256());
        double refusedBefore = secured.parts.access().metrics().userConnectionRefusals.count();
        WsClient second = connect(token);
        try (WsClient first = connect(token)) {
            try (WsClient third = WsClient.connect(uri(token))) {
                JsonNode error = third.next("error");
                assertThat(error.get("code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
                assertThat(error.get("message").asText()).contains("this user", "at most 2");
                assertThat(third.awaitClose().code()).isEqualTo(CloseCode.TRY_AGAIN_LATER.code());
            }
            try (WsClient dave = connect(token(subject(), expiresIn(120)).sign(hs256()))) {
                assertUsable(dave);
            }
            assertUsable(first);
            second.close();
            await().until(() -> secured.parts.access().users().connections(carol) == 1);
            try (WsClient again = connect(token)) {
                assertUsable(again);
            }
        } finally {
            second.close();
        }
        assertThat(secured.parts.access().metrics().userConnectionRefusals.count()).isEqualTo(refusedBefore + 1);
        await().until(() -> secured.parts.access().users().connections(carol) == 0);
    }

    @Test
    void aUsersMessageRateIsSharedByItsConnections() {
        String sub = subject();
        String token = token(sub, expiresIn(120)).sign(hs256());
        try (WsClient a = connect(token); WsClient b = connect(token)) {
            // 14 pings, 7 per connection: far under each connection's own burst (40), over the user's shared 10
            for (int i = 0; i < 7; i++) {
                a.send("{\"action\":\"ping\"}");
                b.send("{\"action\":\"ping\"}");
            }
            List<JsonNode> replies = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (replies.size() < 14 && System.nanoTime() < deadline) {
                replies.addAll(a.collect(Duration.ofMillis(100)));
                replies.addAll(b.collect(Duration.ofMillis(100)));
            }
            long pongs = replies.stream().filter(m -> "pong".equals(m.path("type").asText())).count();
            List<JsonNode> limited = replies.stream().filter(m -> "RATE_LIMIT_EXCEEDED".equals(m.path("code").asText())).toList();
            assertThat(pongs + limited.size()).isEqualTo(14);
            assertThat(pongs).as("the shared burst, plus a refill of 1/s while sending").isBetween(10L, 13L);
            assertThat(limited).isNotEmpty().allSatisfy(m -> assertThat(m.get("message").asText()).contains("across its connections"));
            try (WsClient other = connect(token(subject(), expiresIn(120)).sign(hs256()))) {
                assertUsable(other);
            }
        }
    }

    @Test
    void refreshTravelsAsMessagePackOnTheMsgpackSubprotocol() {
        String sub = subject();
        Instant newExp = expiresIn(300);
        try (WsClient c = WsClient.connect(uri(token(sub, expiresIn(120)).sign(hs256())), ProtocolCodec.MSGPACK_SUBPROTOCOL)) {
            assertThat(c.subprotocol()).isEqualTo(ProtocolCodec.MSGPACK_SUBPROTOCOL);
            c.next("connected");
            c.sendBinary(WireFormat.msgpack(Map.of("action", "refresh", "token", token(sub, newExp).sign(hs256()))));
            assertThat(Instant.parse(c.next("token_refreshed").get("expiresAt").asText())).isEqualTo(newExp);
            assertThat(c.binaryFrames).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void refreshWithoutAuthenticationIsAnUnsupportedAction() {
        try (WsClient c = WsClient.open(open.port())) {
            c.send(refresh(token(subject(), expiresIn(120)).sign(hs256())));
            JsonNode error = c.next("error");
            assertThat(error.get("code").asText()).isEqualTo("UNSUPPORTED_ACTION");
            assertThat(error.get("message").asText()).isEqualTo("token refresh needs AUTH_MODE=jwt");
            assertUsable(c);
        }
    }

    private static String forbiddenSymbol(JsonNode error) {
        assertThat(error.get("code").asText()).isEqualTo("FORBIDDEN_SYMBOL");
        return error.get("symbol").asText();
    }

    private static void assertUnauthorized(WsClient c, String why) {
        JsonNode error = c.next("error");
        assertThat(error.get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(error.get("message").asText()).contains(why, "keeps its current token");
    }

    private static void assertUsable(WsClient c) {
        String stamp = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        c.send("{\"action\":\"ping\",\"timestamp\":\"" + stamp + "\"}");
        c.next(m -> "pong".equals(m.path("type").asText()) && stamp.equals(m.path("echo").asText()), Duration.ofSeconds(30), "pong");
    }

    private static String subject() {
        return "user-" + UUID.randomUUID();
    }

    /** JWT exp has whole seconds; the edge must report exactly the token's. */
    private static Instant expiresIn(int seconds) {
        return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
    }

    private static JWTCreator.Builder token(String sub, Instant exp) {
        return JWT.create().withSubject(sub).withExpiresAt(exp);
    }

    private static Algorithm hs256() {
        return Algorithm.HMAC256(SECRET);
    }

    private static String refresh(String token) {
        return "{\"action\":\"refresh\",\"token\":\"" + token + "\"}";
    }

    private static URI uri(String token) {
        return URI.create("ws://127.0.0.1:" + secured.port() + "/ws?token=" + token);
    }

    private static WsClient connect(String token) {
        WsClient c = WsClient.connect(uri(token));
        c.clientId = c.next("connected").get("clientId").asText();
        return c;
    }
}
