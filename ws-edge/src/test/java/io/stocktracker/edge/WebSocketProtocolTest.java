package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.edge.fanout.BroadcastEngine;
import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.schemas.contract.CloseCode;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every client message, every server message and error code, and the abuse limits, over real sockets. */
class WebSocketProtocolTest {
    static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";
    static TestEdge edge;
    static TestEdge secured;

    @BeforeAll
    static void start() {
        edge = TestEdge.inMemory(Map.of(
                "HEARTBEAT_INTERVAL_MS", "300",
                "HEARTBEAT_TIMEOUT_MS", "1500",
                "MAX_FRAME_BYTES", "1024",
                "MAX_SYMBOLS_PER_MESSAGE", "4",
                "MAX_SUBSCRIPTIONS", "5",
                "MESSAGE_RATE_PER_SECOND", "5",
                "MESSAGE_BURST", "10",
                "MAX_VIOLATIONS", "8"));
        secured = TestEdge.inMemory(Map.of(
                "AUTH_MODE", "jwt",
                "JWT_SECRET", SECRET,
                "MAX_CONNECTIONS_PER_IP", "3"));
        await().atMost(TestInfra.TIMEOUT).until(() -> edge.ready() && secured.ready());
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
        if (secured != null) {
            secured.close();
        }
    }

    @Test
    void connectedGreetingCarriesClientIdEdgeIdAndHeartbeat() {
        try (WsClient c = WsClient.connect(edge.port())) {
            JsonNode hello = c.next("connected");
            assertThat(hello.get("message").asText()).isEqualTo("Connected to Stock Tracker WebSocket");
            assertThat(hello.get("clientId").asText()).isNotBlank();
            assertThat(hello.get("edgeId").asText()).isEqualTo(edge.config().edgeId());
            assertThat(hello.get("heartbeatIntervalMs").asLong()).isEqualTo(300);
            assertThat(Instant.parse(hello.get("timestamp").asText())).isNotNull();
        }
    }

    @Test
    void jsonSubprotocolIsNegotiatedWhenOffered() {
        try (WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + edge.port() + "/ws"),
                ProtocolCodec.JSON_SUBPROTOCOL)) {
            assertThat(c.subprotocol()).isEqualTo(ProtocolCodec.JSON_SUBPROTOCOL);
            c.next("connected");
        }
    }

    @Test
    void msgpackSubprotocolSpeaksTheSameMessagesInBinaryFrames() {
        try (WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + edge.port() + "/ws"),
                ProtocolCodec.MSGPACK_SUBPROTOCOL, ProtocolCodec.JSON_SUBPROTOCOL)) {
            assertThat(c.subprotocol()).isEqualTo(ProtocolCodec.MSGPACK_SUBPROTOCOL);
            String clientId = c.next("connected").get("clientId").asText();
            c.sendBinary(WireFormat.msgpack(Map.of("action", "subscribe", "symbols", List.of("mpack"))));
            assertThat(c.next("subscribed").get("symbols").get(0).asText()).isEqualTo("MPACK");
            await().until(() -> edge.subscriptions().getSubscribers("MPACK").contains(clientId));
            edge.broadcastEngine().broadcast(BroadcastEngine.Update.of(TestInfra.quote("MPACK", 77.5)));
            JsonNode update = c.nextPrice("MPACK", 77.5);
            assertThat(update.get("data").get("symbol").asText()).isEqualTo("MPACK");
            c.sendBinary(WireFormat.msgpack(Map.of("action", "ping", "timestamp", "2024-01-10T10:30:00Z")));
            assertThat(c.next("pong").get("echo").asText()).isEqualTo("2024-01-10T10:30:00Z");
            c.sendBinary(new byte[] {(byte) 0xc1});
            assertThat(c.next("error").get("code").asText()).isEqualTo("INVALID_MESSAGE");
            assertThat(c.binaryFrames).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void permessageDeflateIsNotNegotiatedWhenDisabled() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(edge.port(), 0, "Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
            RawWebSocket.Frame f = raw.readDataFrame();
            assertThat(raw.handshake.toLowerCase()).doesNotContain("permessage-deflate");
            assertThat(f.compressed()).isFalse();
            assertThat(f.text()).contains("\"connected\"");
        }
        TestEdge deflating = TestEdge.inMemory(Map.of("PERMESSAGE_DEFLATE", "true"));
        try (RawWebSocket raw = RawWebSocket.connect(deflating.port(), 0, "Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
            assertThat(raw.handshake.toLowerCase()).contains("sec-websocket-extensions: permessage-deflate");
            assertThat(raw.readDataFrame().compressed()).isTrue();
        } finally {
            deflating.close();
        }
    }

    @Test
    void pingIsAnsweredWithPongEchoingItsTimestamp() {
        try (WsClient c = WsClient.open(edge.port())) {
            c.send("{\"action\":\"ping\",\"timestamp\":\"2024-01-10T10:30:00Z\"}");
            JsonNode pong = c.next("pong");
            assertThat(pong.get("echo").asText()).isEqualTo("2024-01-10T10:30:00Z");
            assertThat(pong.has("timestamp")).isTrue();
        }
    }

    @Test
    void subscribeNormalisesAndAcksAcceptedAndRejectedSymbols() {
        try (WsClient c = WsClient.open(edge.port())) {
            c.send("{\"action\":\"subscribe\",\"symbols\":[\" aapl \",\"brk.b\",\"bad symbol!\"],\"clientId\":\"x\"}");
            JsonNode ack = c.next("subscribed");
            assertThat(ack.get("symbols")).extracting(JsonNode::asText).containsExactly("AAPL", "BRK.B");
            assertThat(ack.get("rejected")).hasSize(1);
            assertThat(ack.get("rejected").get(0).get("code").asText()).isEqualTo("INVALID_SYMBOL");
            JsonNode err = c.next("error");
            assertThat(err.get("code").asText()).isEqualTo("INVALID_SYMBOL");
            await().untilAsserted(() -> assertThat(edge.subscriptions().getClientSubscriptions(c.clientId))
                    .containsExactlyInAnyOrder("AAPL", "BRK.B"));

            c.unsubscribe("aapl");
            assertThat(c.next("unsubscribed").get("symbols")).extracting(JsonNode::asText).containsExactly("AAPL");
            await().untilAsserted(() -> assertThat(edge.subscriptions().getClientSubscriptions(c.clientId)).containsExactly("BRK.B"));
        }
    }

    @Test
    void subscriptionLimitsAreAnsweredAndTheConnectionStays() {
        try (WsClient c = WsClient.open(edge.port())) {
            c.subscribe("A1", "A2", "A3", "A4", "A5");
            assertThat(c.next("error").get("code").asText()).isEqualTo("SUBSCRIPTION_LIMIT_EXCEEDED");
            assertThat(edge.subscriptions().getClientSubscriptions(c.clientId)).isEmpty();

            c.subscribe("A1", "A2", "A3", "A4");
            c.next("subscribed");
            c.subscribe("A5", "A6");
            JsonNode ack = c.next("subscribed");
            assertThat(ack.get("symbols")).extracting(JsonNode::asText).containsExactly("A5");
            assertThat(ack.get("rejected").get(0).get("symbol").asText()).isEqualTo("A6");
            assertThat(ack.get("rejected").get(0).get("code").asText()).isEqualTo("SUBSCRIPTION_LIMIT_EXCEEDED");
            await().untilAsserted(() -> assertThat(edge.subscriptions().getClientSubscriptions(c.clientId)).hasSize(5));
            assertUsable(c);
        }
    }

    @Test
    void malformedAndUnsupportedMessagesGetErrorsAndTheConnectionStays() {
        try (WsClient c = WsClient.open(edge.port())) {
            c.send("{not json");
            assertThat(c.next("error").get("code").asText()).isEqualTo("INVALID_MESSAGE");
            c.send("[1,2]");
            assertThat(c.next("error").get("code").asText()).isEqualTo("INVALID_MESSAGE");
            c.send("{\"symbols\":[\"AAPL\"]}");
            assertThat(c.next("error").get("code").asText()).isEqualTo("INVALID_MESSAGE");
            c.send("{\"action\":\"subscribe\",\"symbols\":\"AAPL\"}");
            assertThat(c.next("error").get("code").asText()).isEqualTo("INVALID_MESSAGE");
            c.send("{\"action\":\"explode\"}");
            JsonNode unsupported = c.next("error");
            assertThat(unsupported.get("code").asText()).isEqualTo("UNSUPPORTED_ACTION");
            assertThat(unsupported.get("message").asText()).contains("explode");
            assertUsable(c);
        }
    }

    @Test
    void binaryFramesOnTheJsonSubprotocolAreInvalidAndTheConnectionStays() {
        try (WsClient c = WsClient.open(edge.port())) {
            c.sendBinary(new byte[] {1, 2, 3});
            JsonNode err = c.next("error");
            assertThat(err.get("code").asText()).isEqualTo("INVALID_MESSAGE");
            assertThat(err.get("message").asText()).contains("Binary");
            assertUsable(c);
        }
    }

    @Test
    void anOversizedFrameIsAnsweredAndRepeatedOnesClose() {
        try (WsClient c = WsClient.open(edge.port())) {
            String big = "{\"action\":\"ping\",\"pad\":\"" + "x".repeat(2000) + "\"}";
            c.send(big);
            assertThat(c.next("error").get("code").asText()).isEqualTo("MESSAGE_TOO_LARGE");
            assertUsable(c);
            c.send(big);
            assertThat(c.awaitClose().code()).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
        }
    }

    @Test
    void aFloodIsRateLimitedAndTheConnectionSurvives() throws Exception {
        try (WsClient c = WsClient.open(edge.port())) {
            for (int i = 0; i < 14; i++) {
                c.send("{\"action\":\"ping\"}");
            }
            List<JsonNode> replies = c.collect(Duration.ofMillis(800));
            long pongs = replies.stream().filter(m -> "pong".equals(m.path("type").asText())).count();
            long limited = replies.stream().filter(m -> "RATE_LIMIT_EXCEEDED".equals(m.path("code").asText())).count();
            assertThat(pongs).isBetween(10L, 13L);
            assertThat(limited).isPositive();
            assertThat(pongs + limited).isEqualTo(14);
            Thread.sleep(1000);
            assertUsable(c);
        }
    }

    @Test
    void abusePastTheViolationLimitClosesWithPolicyViolation() {
        try (WsClient c = WsClient.open(edge.port())) {
            for (int i = 0; i < 40; i++) {
                try {
                    c.send("{\"action\":\"ping\"}");
                } catch (CompletionException closedMeanwhile) {
                    break; // the edge may close with 1008 before the 40th message is out: that is the behaviour under test
                }
            }
            assertThat(c.awaitClose().code()).isEqualTo(CloseCode.POLICY_VIOLATION.code());
        }
        await().until(() -> edge.connections().size() == 0 || edge.connections().getActiveConnections().stream()
                .noneMatch(s -> s.isClosing()));
    }

    @Test
    void heartbeatClosesAClientThatNeverPongs() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(edge.port(), 0)) {
            int pings = 0;
            RawWebSocket.Frame f;
            while ((f = raw.readFrame()) != null && f.opcode() != RawWebSocket.CLOSE) {
                if (f.opcode() == RawWebSocket.PING) {
                    pings++;
                }
            }
            assertThat(pings).as("server pings before giving up").isGreaterThanOrEqualTo(2);
            assertThat(f).isNotNull();
            assertThat(f.closeCode()).isEqualTo(CloseCode.HEARTBEAT_TIMEOUT.code());
        }
    }

    @Test
    void aClientThatAnswersPingsStaysConnectedPastTheTimeout() throws Exception {
        try (WsClient c = WsClient.open(edge.port())) {
            Thread.sleep(3500);
            assertThat(c.isOpen()).isTrue();
            assertUsable(c);
        }
    }

    @Test
    void connectionChurnLeavesNoHttpSessionsNorConnectionState() {
        for (int i = 0; i < 150; i++) {
            try (WsClient c = WsClient.open(edge.port())) {
                c.subscribe("CHURN" + (i % 3));
                c.next("subscribed");
            }
        }
        await().until(() -> edge.connections().size() == 0);
        assertThat(edge.httpSessionsCreated()).isZero();
        assertThat(edge.subscriptions().getActiveSymbols()).noneMatch(s -> s.startsWith("CHURN"));
        assertThat(edge.subscriptions().totalSubscriptions()).isZero();
    }

    @Test
    void jwtModeRefusesMissingOrBadTokensWith4001() {
        try (WsClient c = WsClient.connect(secured.port())) {
            assertThat(c.next("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(c.awaitClose().code()).isEqualTo(CloseCode.UNAUTHORIZED.code());
        }
        String forged = JWT.create().withSubject("mallory").sign(Algorithm.HMAC256("another-secret-another-secret-another"));
        try (WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + secured.port() + "/ws?token=" + forged))) {
            assertThat(c.awaitClose().code()).isEqualTo(CloseCode.UNAUTHORIZED.code());
        }
    }

    @Test
    void jwtFromQueryOrSubprotocolIsAcceptedAndItsSymbolsClaimIsEnforced() {
        String token = JWT.create().withSubject("alice").withArrayClaim("symbols", new String[] {"AAPL", "msft"})
                .withExpiresAt(Instant.now().plusSeconds(600)).sign(Algorithm.HMAC256(SECRET));
        try (WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + secured.port() + "/ws?token=" + token))) {
            c.next("connected");
            c.subscribe("AAPL", "TSLA");
            JsonNode ack = c.next("subscribed");
            assertThat(ack.get("symbols")).extracting(JsonNode::asText).containsExactly("AAPL");
            assertThat(ack.get("rejected").get(0).get("code").asText()).isEqualTo("FORBIDDEN_SYMBOL");
            assertThat(c.next("error").get("code").asText()).isEqualTo("FORBIDDEN_SYMBOL");
        }
        try (WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + secured.port() + "/ws"),
                ProtocolCodec.JSON_SUBPROTOCOL, ProtocolCodec.BEARER_PROTOCOL_PREFIX + token)) {
            assertThat(c.subprotocol()).isEqualTo(ProtocolCodec.JSON_SUBPROTOCOL);
            c.next("connected");
        }
    }

    @Test
    void connectionsPerIpAreCapped() {
        String token = JWT.create().withSubject("bob").withExpiresAt(Instant.now().plusSeconds(600)).sign(Algorithm.HMAC256(SECRET));
        URI uri = URI.create("ws://127.0.0.1:" + secured.port() + "/ws?token=" + token);
        await().until(() -> secured.connections().size() == 0);
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                WsClient c = WsClient.connect(uri);
                c.next("connected");
                open.add(c);
            }
            // refused before the upgrade: an HTTP 429, no socket
            assertThatThrownBy(() -> WsClient.connect(uri))
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(429));
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    void shutdownClosesClientsWithGoingAway() {
        TestEdge temp = TestEdge.inMemory(Map.of());
        try (WsClient c = WsClient.open(temp.port())) {
            temp.close();
            assertThat(c.awaitClose().code()).isEqualTo(CloseCode.GOING_AWAY.code());
            assertThat(temp.ready()).isFalse();
        } finally {
            temp.close();
        }
    }

    /** The connection still works: a ping gets its pong. */
    private static void assertUsable(WsClient c) {
        c.send("{\"action\":\"ping\",\"timestamp\":\"2030-01-01T00:00:00Z\"}");
        assertThat(c.next(m -> "pong".equals(m.path("type").asText()) && "2030-01-01T00:00:00Z".equals(m.path("echo").asText()),
                Duration.ofSeconds(30), "pong").get("echo").asText()).isEqualTo("2030-01-01T00:00:00Z");
    }
}
