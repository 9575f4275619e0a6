package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.contract.ErrorCode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refused and idle connections cost nothing: refusals the client need not read happen before the upgrade (HTTP status,
 * JSON body, connection closed), the cheap address checks run before the token, a refusal that must stay a WebSocket
 * close (a bad token: the browser learns why only that way) is dropped within 2 s even when the client never answers,
 * and a socket that never subscribes does not stay.
 */
class AdmissionTest {
    static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";
    static TestEdge capped;
    static TestEdge full;
    static TestEdge rated;
    static TestEdge idle;

    @BeforeAll
    static void start() {
        capped = TestEdge.inMemory(Map.of("AUTH_MODE", "jwt", "JWT_SECRET", SECRET, "MAX_CONNECTIONS_PER_IP", "2",
                "ADMISSION_RATE_PER_SECOND", "1000", "ADMISSION_BURST", "1000"));
        full = TestEdge.inMemory(Map.of("MAX_CONNECTIONS", "1"));
        rated = TestEdge.inMemory(Map.of("ADMISSION_RATE_PER_SECOND", "0.1", "ADMISSION_BURST", "2"));
        idle = TestEdge.inMemory(Map.of("IDLE_UNSUBSCRIBED_TIMEOUT_MS", "1500", "HEARTBEAT_INTERVAL_MS", "100",
                "HEARTBEAT_TIMEOUT_MS", "30000"));
        await().atMost(TestInfra.TIMEOUT).until(() -> capped.ready() && full.ready() && rated.ready() && idle.ready());
    }

    @AfterAll
    static void stop() {
        for (TestEdge e : new TestEdge[] {capped, full, rated, idle}) {
            if (e != null) {
                e.close();
            }
        }
    }

    @Test
    void aRefusedTokenIsToldWhyThenDroppedWithinTwoSecondsThoughTheClientNeverAnswersTheClose() throws Exception {
        await().atMost(TestInfra.TIMEOUT).until(() -> capped.connections().size() == 0);
        double rejectedBefore = capped.metrics().rejectedConnections.count();
        try (RawUpgrade refused = RawUpgrade.send(capped.port(), "/ws?token=forged", "")) {
            // still a post-upgrade 4001: a browser cannot read an HTTP 401 on an upgrade, and its client waits for a new token on 4001
            assertThat(refused.status).isEqualTo(101);
            // 2 s is the edge's limit; the rest is slack for a loaded machine
            assertThat(refused.serverReleasedWithin(3500)).as("the edge let go of a client that ignores its close").isTrue();
        }
        assertThat(capped.metrics().rejectedConnections.count()).isGreaterThan(rejectedBefore);
    }

    @Test
    void theAddressCapIsCheckedBeforeTheTokenAndRefusedBeforeTheUpgrade() throws Exception {
        await().atMost(TestInfra.TIMEOUT).until(() -> capped.connections().size() == 0);
        URI uri = URI.create("ws://127.0.0.1:" + capped.port() + "/ws?token=" + token("carol"));
        try (WsClient a = WsClient.connect(uri); WsClient b = WsClient.connect(uri)) {
            a.next("connected");
            b.next("connected");
            try (RawUpgrade over = RawUpgrade.send(capped.port(), "/ws?token=forged", "")) {
                assertThat(over.status).isEqualTo(429);
                assertThat(over.headers.get("content-type")).startsWith("application/json");
                assertThat(JsonCodec.tree(over.body).get("code").asText()).isEqualTo(ErrorCode.RATE_LIMIT_EXCEEDED.name());
                assertThat(over.serverReleasedWithin(2000)).as("the refused connection is closed, not kept alive").isTrue();
            }
        }
    }

    @Test
    void aRefusedTokenHoldsItsAddressSlotUntilItIsDropped() throws Exception {
        await().atMost(TestInfra.TIMEOUT).until(() -> capped.connections().size() == 0);
        try (RawUpgrade r1 = RawUpgrade.send(capped.port(), "/ws?token=forged", "");
             RawUpgrade r2 = RawUpgrade.send(capped.port(), "/ws?token=forged", "");
             RawUpgrade r3 = RawUpgrade.send(capped.port(), "/ws?token=forged", "")) {
            assertThat(r1.status).isEqualTo(101);
            assertThat(r2.status).isEqualTo(101);
            // the two lingering refusals count against the address: bad tokens cannot pile up sockets beyond the cap
            assertThat(r3.status).isEqualTo(429);
        }
        URI uri = URI.create("ws://127.0.0.1:" + capped.port() + "/ws?token=" + token("dave"));
        await().atMost(TestInfra.TIMEOUT).untilAsserted(() -> {
            try (WsClient c = WsClient.connect(uri)) {
                assertThat(c.next("connected")).isNotNull();
            }
        });
    }

    @Test
    void overTheEdgesTotalCapIsRefusedWith503BeforeTheUpgrade() throws Exception {
        try (WsClient held = WsClient.open(full.port());
             RawUpgrade over = RawUpgrade.send(full.port(), "/ws", "")) {
            assertThat(over.status).isEqualTo(503);
            assertThat(JsonCodec.tree(over.body).get("code").asText()).isEqualTo(ErrorCode.RATE_LIMIT_EXCEEDED.name());
            assertThat(over.serverReleasedWithin(2000)).isTrue();
            assertThat(held.closed).isNotDone();
        }
    }

    @Test
    void newConnectionsPerSecondFromOneAddressAreCapped() throws Exception {
        try (RawUpgrade first = RawUpgrade.send(rated.port(), "/ws", "");
             RawUpgrade second = RawUpgrade.send(rated.port(), "/ws", "");
             RawUpgrade third = RawUpgrade.send(rated.port(), "/ws", "")) {
            assertThat(first.status).isEqualTo(101);
            assertThat(second.status).isEqualTo(101);
            assertThat(third.status).isEqualTo(429);
            assertThat(third.headers).containsKey("retry-after");
            assertThat(JsonCodec.tree(third.body).get("code").asText()).isEqualTo(ErrorCode.RATE_LIMIT_EXCEEDED.name());
            assertThat(third.serverReleasedWithin(2000)).isTrue();
        }
    }

    @Test
    void aSocketHoldingNoSubscriptionIsClosedAfterTheIdleTimeout() {
        try (WsClient subscribed = WsClient.open(idle.port());
             WsClient never = WsClient.open(idle.port())) {
            subscribed.subscribe("IDLEA");
            subscribed.next("subscribed");
            WsClient.Close close = never.awaitClose();
            assertThat(close.code()).isEqualTo(CloseCode.IDLE_UNSUBSCRIBED.code());
            // older than `never` and past its own idle time, but it holds a subscription
            assertThat(subscribed.closed).isNotDone();
        }
        try (WsClient emptied = WsClient.open(idle.port())) {
            emptied.subscribe("IDLEB");
            emptied.next("subscribed");
            emptied.unsubscribe("IDLEB");
            assertThat(emptied.awaitClose().code()).isEqualTo(CloseCode.IDLE_UNSUBSCRIBED.code());
        }
    }

    static String token(String subject) {
        return JWT.create().withSubject(subject).withExpiresAt(Instant.now().plus(Duration.ofMinutes(10))).sign(Algorithm.HMAC256(SECRET));
    }
}
