package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.infra.TcpProxy;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.contract.CloseCode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MAX_CONNECTIONS_PER_USER across edges: two real edges on one real redis-server (this class's own, so stopping it
 * touches no other test), real WebSocket clients, HS256 tokens. Every test uses subjects of its own.
 */
class ClusterUserLimitsTest {
    static final String SECRET = "a-cluster-limits-test-secret-long-enough";
    static final Duration TTL = Duration.ofMillis(3000);
    static final Map<String, String> SETTINGS = Map.of(
            "AUTH_MODE", "jwt",
            "JWT_SECRET", SECRET,
            "MAX_CONNECTIONS_PER_USER", "2",
            "USER_CONNECTIONS_TTL_MS", String.valueOf(TTL.toMillis()),
            "USER_MESSAGE_RATE_PER_SECOND", "0.1",
            "USER_MESSAGE_BURST", "3",
            "USER_BUCKET_IDLE_MS", "60000",
            // above any stall a loaded CI machine has, so racing admissions always reach Redis's verdict
            "USER_CONNECTIONS_CHECK_TIMEOUT_MS", "1000",
            "REDIS_RECONNECT_MAX_BACKOFF_MS", "200");
    static EmbeddedRedis redis;
    static RedisClient redisClient;
    static StatefulRedisConnection<String, String> inspect;
    static TestEdge a;
    static TestEdge b;

    @BeforeAll
    static void start() {
        redis = EmbeddedRedis.start();
        a = TestEdge.real(config("cluster-a-"));
        b = TestEdge.real(config("cluster-b-"));
        redisClient = RedisClient.create(redis.url());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (inspect != null) {
            inspect.close();
        }
        if (redisClient != null) {
            redisClient.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void redisIsUp() {
        if (!redis.running()) {
            redis.restart(); // a test that stopped it failed half-way
        }
        await().atMost(TestInfra.TIMEOUT).until(() -> clusterCountsUp(a) && clusterCountsUp(b));
    }

    static EdgeConfig config(String idPrefix) {
        return config(idPrefix, redis.url());
    }

    static EdgeConfig config(String idPrefix, String redisUrl) {
        Map<String, String> env = new java.util.HashMap<>(SETTINGS);
        env.put("REDIS_URL", redisUrl);
        env.put("EDGE_ID", idPrefix + UUID.randomUUID().toString().substring(0, 8));
        return TestInfra.config(env);
    }

    @Test
    void oneUsersConnectionsSpreadOverTwoEdgesAreCappedInTotalAndAClosedOneFreesASlotOnTheOtherEdge() {
        String sub = subject();
        String token = token(sub);
        double clusterRefusals = refusals(a) + refusals(b);
        WsClient onA = admitted(a, token);
        WsClient onB = admitted(b, token);
        try {
            assertThat(counts(sub)).containsOnlyKeys(a.config().edgeId(), b.config().edgeId());
            assertRefusedAcrossServers(a, token);
            assertRefusedAcrossServers(b, token);
            assertThat(refusals(a) + refusals(b)).isEqualTo(clusterRefusals + 2);

            onA.close();
            WsClient again = await().atMost(TestInfra.TIMEOUT).until(() -> tryConnect(b, token), c -> c != null);
            assertThat(b.parts.access().users().connections(sub)).as("both on B now").isEqualTo(2);
            assertThat(counts(sub)).containsOnlyKeys(b.config().edgeId());
            assertThat(counts(sub).get(b.config().edgeId())).startsWith("2:");
            again.close();
        } finally {
            onA.close();
            onB.close();
        }
        await().atMost(TestInfra.TIMEOUT).until(() -> counts(sub).isEmpty());
    }

    @Test
    void twoEdgesRacingForTheLastSlotAdmitExactlyOne() throws Exception {
        for (int round = 0; round < 4; round++) {
            String token = token(subject());
            WsClient first = admitted(a, token);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<WsClient> viaA = CompletableFuture.supplyAsync(() -> awaitThen(go, () -> tryConnect(a, token)));
            CompletableFuture<WsClient> viaB = CompletableFuture.supplyAsync(() -> awaitThen(go, () -> tryConnect(b, token)));
            go.countDown();
            List<WsClient> winners = java.util.stream.Stream.of(viaA.get(60, TimeUnit.SECONDS), viaB.get(60, TimeUnit.SECONDS))
                    .filter(java.util.Objects::nonNull).toList();
            assertThat(winners).as("round " + round + ": one slot left, two edges asked at once").hasSize(1);
            winners.forEach(WsClient::close);
            first.close();
        }
    }

    @Test
    void aCrashedEdgesConnectionsStopCountingWithinTheLease() throws Exception {
        TcpProxy toRedis = new TcpProxy(redis.port());
        TestEdge c = TestEdge.real(config("cluster-crash-", toRedis.redisUrl()));
        String sub = subject();
        String token = token(sub);
        List<WsClient> clients = new ArrayList<>();
        try {
            await().atMost(TestInfra.TIMEOUT).until(() -> clusterCountsUp(c));
            clients.add(admitted(c, token));
            clients.add(admitted(c, token));
            // no renewals, no decrements, the connection gone: what Redis sees of a process that died
            toRedis.cut();
            assertThat(counts(sub)).containsKey(c.config().edgeId());
            assertRefusedAcrossServers(a, token);

            long crashedAt = System.nanoTime();
            WsClient admitted = await().atMost(TTL.plus(TestInfra.TIMEOUT)).pollInterval(Duration.ofMillis(200))
                    .until(() -> tryConnect(a, token), x -> x != null);
            clients.add(admitted);
            assertThat(Duration.ofNanos(System.nanoTime() - crashedAt)).as("the dead edge's lease ran out")
                    .isLessThanOrEqualTo(TTL.plusSeconds(20));
            assertThat(counts(sub)).as("the dead edge's field was dropped by the admission")
                    .doesNotContainKey(c.config().edgeId()).containsKey(a.config().edgeId());
        } finally {
            clients.forEach(WsClient::close);
            c.close();
            toRedis.close();
        }
    }

    @Test
    void whileRedisIsDownEachEdgesOwnCapAppliesAndTheCountsAreRepublishedWhenItReturns() {
        String sub = subject();
        String token = token(sub);
        double fallbacks = fallbacks(a) + fallbacks(b);
        List<WsClient> clients = new ArrayList<>();
        try {
            redis.stop();
            await().atMost(TestInfra.TIMEOUT).until(() -> !clusterCountsUp(a) && !clusterCountsUp(b));
            // four connections of a user capped at 2: the cap is per edge until Redis returns, nobody is refused wrongly
            clients.add(admitted(a, token));
            clients.add(admitted(a, token));
            clients.add(admitted(b, token));
            clients.add(admitted(b, token));
            WsClient third = WsClient.connect(uri(a, token));
            JsonNode error = third.next("error");
            assertThat(error.get("code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
            assertThat(error.get("message").asText()).contains("at most 2").doesNotContain("across all servers");
            assertThat(third.awaitClose().code()).isEqualTo(CloseCode.TRY_AGAIN_LATER.code());
            assertThat(fallbacks(a) + fallbacks(b)).as("checks decided locally").isGreaterThanOrEqualTo(fallbacks + 4);
            // another user is not affected
            admitted(b, token(subject())).close();

            redis.restart(); // empty: the edges write their counts back
            await().atMost(TestInfra.TIMEOUT).until(() -> clusterCountsUp(a) && clusterCountsUp(b));
            await().atMost(TestInfra.TIMEOUT).until(() -> counts(sub).size() == 2);
            assertThat(counts(sub).get(a.config().edgeId())).startsWith("2:");
            assertThat(counts(sub).get(b.config().edgeId())).startsWith("2:");

            clients.remove(0).close();
            await().atMost(TestInfra.TIMEOUT).until(() -> a.parts.access().users().connections(sub) == 1);
            assertRefusedAcrossServers(a, token);
        } finally {
            if (!redis.running()) {
                redis.restart();
            }
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void aRedisTooSlowToAnswerWithinTheCheckTimeoutLetsTheEdgesOwnCapDecide() throws Exception {
        double fallbacks = fallbacks(a);
        // a script that keeps redis-server busy for 2.5 s: every other client waits (none is refused under lua-time-limit)
        CompletableFuture<Object> busy = CompletableFuture.supplyAsync(() -> {
            try (StatefulRedisConnection<String, String> blocker = redisClient.connect()) {
                return blocker.sync().eval("local t = redis.call('TIME'); local stop = t[1] * 1000000 + t[2] + 2500000; "
                        + "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] >= stop; return 1",
                        io.lettuce.core.ScriptOutputType.INTEGER);
            }
        });
        List<WsClient> held = new ArrayList<>();
        List<String> subs = new ArrayList<>();
        try {
            // new users connect until one arrives while the script runs: its check times out, the edge admits it itself
            await().atMost(TestInfra.TIMEOUT).until(() -> {
                subs.add(subject());
                held.add(admitted(a, token(subs.get(subs.size() - 1))));
                return fallbacks(a) > fallbacks || busy.isDone();
            });
            assertThat(fallbacks(a)).as("no answer within USER_CONNECTIONS_CHECK_TIMEOUT_MS: decided locally").isGreaterThan(fallbacks);
            assertThat(busy.get(60, TimeUnit.SECONDS)).isEqualTo(1L);
            String last = subs.get(subs.size() - 1);
            await().atMost(TestInfra.TIMEOUT).until(() -> clusterCountsUp(a));
            await().atMost(TestInfra.TIMEOUT).until(() -> counts(last).containsKey(a.config().edgeId()));
            assertThat(counts(last).get(a.config().edgeId())).as("written back once Redis answers").startsWith("1:");
        } finally {
            held.forEach(WsClient::close);
        }
    }

    @Test
    void aUsersMessageBucketSurvivesAReconnect() {
        String sub = subject();
        String token = token(sub);
        try (WsClient c = admitted(a, token)) {
            for (int i = 0; i < 3; i++) {
                ping(c);
                assertThat(c.next(m -> "pong".equals(m.path("type").asText()), Duration.ofSeconds(30), "pong")).isNotNull();
            }
            ping(c);
            assertLimited(c);
        }
        await().atMost(TestInfra.TIMEOUT).until(() -> a.parts.access().users().connections(sub) == 0);
        try (WsClient c = admitted(a, token)) {
            ping(c);
            assertLimited(c);
        }
    }

    private static void ping(WsClient c) {
        c.send("{\"action\":\"ping\"}");
    }

    private static void assertLimited(WsClient c) {
        JsonNode reply = c.next(m -> "pong".equals(m.path("type").asText()) || "error".equals(m.path("type").asText()),
                Duration.ofSeconds(30), "pong or error");
        assertThat(reply.path("code").asText()).as("the user's bucket is still empty").isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(reply.path("message").asText()).contains("across its connections");
    }

    private static <T> T awaitThen(CountDownLatch go, java.util.function.Supplier<T> task) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return task.get();
    }

    private static void assertRefusedAcrossServers(TestEdge edge, String token) {
        try (WsClient c = WsClient.connect(uri(edge, token))) {
            JsonNode error = c.next("error");
            assertThat(error.get("code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
            assertThat(error.get("message").asText()).contains("this user", "at most 2", "across all servers");
            assertThat(c.awaitClose().code()).isEqualTo(CloseCode.TRY_AGAIN_LATER.code());
        }
    }

    /** Connected and greeted, or null when refused. */
    private static WsClient tryConnect(TestEdge edge, String token) {
        WsClient c = WsClient.connect(uri(edge, token));
        JsonNode first = c.next(m -> true, Duration.ofSeconds(30), "connected or error");
        if ("connected".equals(first.path("type").asText())) {
            c.clientId = first.get("clientId").asText();
            return c;
        }
        c.awaitClose();
        return null;
    }

    private static WsClient admitted(TestEdge edge, String token) {
        WsClient c = tryConnect(edge, token);
        assertThat(c).as("admitted on " + edge.config().edgeId()).isNotNull();
        return c;
    }

    private static Map<String, String> counts(String sub) {
        synchronized (ClusterUserLimitsTest.class) {
            if (inspect == null || !inspect.isOpen()) {
                inspect = redisClient.connect();
            }
        }
        return inspect.sync().hgetall(Channels.userConnectionsKey(sub));
    }

    /** The edge counts its users' connections in Redis (the gauge its dashboards read). */
    private static boolean clusterCountsUp(TestEdge edge) {
        return edge.metrics().registry().get("stocktracker.edge.user.cluster.redis.up").gauge().value() == 1;
    }

    private static double refusals(TestEdge edge) {
        return edge.metrics().registry().get("stocktracker.edge.user.cluster.refusals").counter().count();
    }

    private static double fallbacks(TestEdge edge) {
        return edge.metrics().registry().get("stocktracker.edge.user.cluster.fallbacks").counter().count();
    }

    private static String subject() {
        return "cluster-user-" + UUID.randomUUID();
    }

    private static String token(String sub) {
        return JWT.create().withSubject(sub).withExpiresAt(Instant.now().plusSeconds(600)).sign(Algorithm.HMAC256(SECRET));
    }

    private static URI uri(TestEdge edge, String token) {
        return URI.create("ws://127.0.0.1:" + edge.port() + "/ws?token=" + token);
    }
}
