package io.stocktracker.edge;

import static io.stocktracker.edge.security.TestTokens.claims;
import static io.stocktracker.edge.security.TestTokens.hs256;
import static io.stocktracker.edge.security.TestTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.edge.security.TestTokens;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.CloseCode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JWT policy over real sockets and real HTTP: tokens must carry exp and sub and live at most
 * JWT_MAX_LIFETIME_SECONDS; RS256/ES256 tokens verify against a JWKS file or a JWKS URL (served here by a local
 * HTTP server) beside HS256; a token without tier gets the smallest tier; and the REST API asks for the same token
 * (Authorization: Bearer) and shows only the symbols it allows.
 */
class JwtPolicyTest {
    static final String SECRET = "a-jwt-policy-test-secret-long-enough-for-hs256";
    static final RSAKey RSA = TestTokens.rsa("policy-rsa");
    static final ECKey EC = TestTokens.ec("policy-ec");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final AtomicInteger JWKS_FETCHES = new AtomicInteger();
    static TestEdge keyed;
    static TestEdge remote;
    static HttpServer issuer;
    static Path jwksFile;

    @BeforeAll
    static void start() throws Exception {
        jwksFile = Files.createTempFile("jwks", ".json");
        Files.writeString(jwksFile, TestTokens.jwks(RSA, EC));
        byte[] published = TestTokens.jwks(RSA, EC).getBytes(StandardCharsets.UTF_8);
        issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer.createContext("/.well-known/jwks.json", ex -> {
            JWKS_FETCHES.incrementAndGet();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, published.length);
            ex.getResponseBody().write(published);
            ex.close();
        });
        issuer.start();
        keyed = TestEdge.inMemory(Map.of(
                "AUTH_MODE", "jwt",
                "JWT_SECRET", SECRET,
                "JWT_JWKS_FILE", jwksFile.toString(),
                "JWT_MAX_LIFETIME_SECONDS", "3600",
                "TIER_SUBSCRIPTION_LIMITS", "free:2,pro:4"));
        remote = TestEdge.inMemory(Map.of(
                "AUTH_MODE", "jwt",
                "JWT_JWKS_URL", "http://127.0.0.1:" + issuer.getAddress().getPort() + "/.well-known/jwks.json"));
        await().atMost(TestInfra.TIMEOUT).until(() -> keyed.ready() && remote.ready());
    }

    @AfterAll
    static void stop() throws Exception {
        for (TestEdge e : new TestEdge[] {keyed, remote}) {
            if (e != null) {
                e.close();
            }
        }
        if (issuer != null) {
            issuer.stop(0);
        }
        Files.deleteIfExists(jwksFile);
    }

    @Test
    void aTokenWithoutExpIsRefusedAtConnectSayingSo() {
        String forever = hs256(SECRET, new JWTClaimsSet.Builder().subject(subject()));
        assertThat(refusal(ws(keyed, forever))).isEqualTo("Token has no exp: tokens must expire");
    }

    @Test
    void aTokenWithoutSubIsRefusedAtConnectSayingSo() {
        String nobody = hs256(SECRET, new JWTClaimsSet.Builder().expirationTime(Date.from(in(600))));
        // the preferred form: the token in a subprotocol entry, never in the URL
        assertThat(refusal(ws(keyed, null), ProtocolCodec.JSON_SUBPROTOCOL, ProtocolCodec.BEARER_PROTOCOL_PREFIX + nobody))
                .isEqualTo("Token has no sub");
    }

    @Test
    void aTokenLivingLongerThanTheMaximumIsRefused() {
        String year = hs256(SECRET, claims(subject(), in(365 * 86_400)));
        assertThat(refusal(ws(keyed, year))).startsWith("Token lives longer than this server accepts");
        String backdated = hs256(SECRET, claims(subject(), in(600)).issueTime(Date.from(Instant.now().minusSeconds(7200))));
        assertThat(refusal(ws(keyed, backdated))).startsWith("Token lives longer");
    }

    @Test
    void rs256AndEs256TokensFromTheJwksFileAreAcceptedBesideHs256() {
        for (String token : List.of(sign(RSA, claims(subject(), in(600))), sign(EC, claims(subject(), in(600))),
                hs256(SECRET, claims(subject(), in(600))))) {
            try (WsClient c = WsClient.connect(ws(keyed, null), ProtocolCodec.JSON_SUBPROTOCOL, ProtocolCodec.BEARER_PROTOCOL_PREFIX + token)) {
                c.next("connected");
                c.subscribe("JPOK");
                assertThat(c.next("subscribed").get("symbols")).extracting(JsonNode::asText).containsExactly("JPOK");
            }
        }
    }

    @Test
    void anHs256TokenMacedWithThePublishedPublicKeyIsRefused() {
        String confused = hs256(RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8), claims(subject(), in(600)));
        assertThat(refusal(ws(keyed, confused))).isEqualTo("Token signature or claims invalid");
    }

    @Test
    void tokensVerifyAgainstAJwksUrlServedByTheIssuer() {
        for (String token : List.of(sign(RSA, claims(subject(), in(600))), sign(EC, claims(subject(), in(600))))) {
            try (WsClient c = WsClient.connect(ws(remote, token))) {
                c.next("connected");
            }
        }
        assertThat(JWKS_FETCHES.get()).as("fetched once, then cached").isEqualTo(1);
        assertThat(refusal(ws(remote, hs256(SECRET, claims(subject(), in(600))))))
                .as("an edge with only public keys accepts no HS256").isEqualTo("Token algorithm is not accepted");
    }

    @Test
    void aTokenWithoutTierGetsTheSmallestTiersSubscriptionLimit() {
        try (WsClient c = WsClient.connect(ws(keyed, hs256(SECRET, claims(subject(), in(600)))))) {
            c.next("connected");
            c.subscribe("JPTA", "JPTB", "JPTC");
            JsonNode ack = c.next("subscribed");
            assertThat(ack.get("symbols")).extracting(JsonNode::asText).containsExactly("JPTA", "JPTB");
            assertThat(ack.get("rejected").get(0).get("code").asText()).isEqualTo("SUBSCRIPTION_LIMIT_EXCEEDED");
        }
    }

    @Test
    void aRefreshTokenWithoutExpIsRefusedAndTheConnectionKeepsItsToken() {
        String sub = subject();
        try (WsClient c = WsClient.connect(ws(keyed, hs256(SECRET, claims(sub, in(600)))))) {
            c.next("connected");
            c.send("{\"action\":\"refresh\",\"token\":\"" + hs256(SECRET, new JWTClaimsSet.Builder().subject(sub)) + "\"}");
            JsonNode error = c.next("error");
            assertThat(error.get("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(error.get("message").asText()).startsWith("refresh token has no exp");
            c.send("{\"action\":\"ping\"}");
            c.next("pong");
        }
    }

    @Test
    void restWithoutAValidBearerTokenIs401WithAJsonError() throws Exception {
        for (String path : List.of("/api/quotes/AAPL", "/api/quotes?symbols=AAPL,MSFT", "/api/symbols")) {
            HttpResponse<String> none = get(keyed, path, null);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            JsonNode body = JsonCodec.tree(none.body());
            assertThat(body.get("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(body.get("message").asText()).isEqualTo("A token is required: send Authorization: Bearer <token>");
        }
        String valid = hs256(SECRET, claims(subject(), in(600)));
        assertThat(get(keyed, "/api/symbols?token=" + valid, null).statusCode()).as("never from the query string").isEqualTo(401);
        HttpResponse<String> expired = get(keyed, "/api/symbols", hs256(SECRET, claims(subject(), Instant.now().minusSeconds(30))));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(JsonCodec.tree(expired.body()).get("message").asText()).isEqualTo("Token expired");
        HttpResponse<String> forever = get(keyed, "/api/symbols", hs256(SECRET, new JWTClaimsSet.Builder().subject(subject())));
        assertThat(JsonCodec.tree(forever.body()).get("message").asText()).isEqualTo("Token has no exp: tokens must expire");
    }

    @Test
    void restShowsOnlyTheSymbolsTheTokenAllows() throws Exception {
        keyed.publish("JPRA", 10.5);
        keyed.publish("JPRB", 20.5);
        await().atMost(TestInfra.TIMEOUT).until(() -> keyed.cache().get("JPRA").isPresent() && keyed.cache().get("JPRB").isPresent());
        String onlyA = sign(RSA, claims(subject(), in(600)).claim("symbols", List.of("JPRA")));

        HttpResponse<String> one = get(keyed, "/api/quotes/JPRA", onlyA);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JsonCodec.tree(one.body()).get("price").asDouble()).isEqualTo(10.5);
        HttpResponse<String> forbidden = get(keyed, "/api/quotes/jprb", onlyA);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(JsonCodec.tree(forbidden.body()).get("code").asText()).isEqualTo("FORBIDDEN_SYMBOL");

        JsonNode batch = JsonCodec.tree(get(keyed, "/api/quotes?symbols=JPRB,JPRA", onlyA).body());
        assertThat(batch).extracting(q -> q.get("symbol").asText()).containsExactly("JPRA");
        JsonNode symbols = JsonCodec.tree(get(keyed, "/api/symbols", onlyA).body());
        assertThat(symbols).extracting(q -> q.get("symbol").asText()).containsExactly("JPRA");

        String everything = hs256(SECRET, claims(subject(), in(600)));
        JsonNode all = JsonCodec.tree(get(keyed, "/api/symbols", everything).body());
        assertThat(all).extracting(q -> q.get("symbol").asText()).contains("JPRA", "JPRB");
    }

    /** The error a refused socket gets; it must then be closed 4001. */
    private static String refusal(URI uri, String... subprotocols) {
        try (WsClient c = WsClient.connect(uri, subprotocols)) {
            JsonNode error = c.next("error");
            assertThat(error.get("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(c.awaitClose().code()).isEqualTo(CloseCode.UNAUTHORIZED.code());
            return error.get("message").asText();
        }
    }

    private static HttpResponse<String> get(TestEdge edge, String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path)).timeout(Duration.ofSeconds(20));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI ws(TestEdge edge, String token) {
        return URI.create("ws://127.0.0.1:" + edge.port() + "/ws" + (token == null ? "" : "?token=" + token));
    }

    private static String subject() {
        return "user-" + UUID.randomUUID();
    }

    private static Instant in(long seconds) {
        return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
    }
}
