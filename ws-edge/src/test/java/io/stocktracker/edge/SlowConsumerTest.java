package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.edge.fanout.BroadcastEngine.Update;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.CloseCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients slower than the feed, over a bare socket that stops reading: the server keeps at most one pending
 * value per symbol, counts what it conflated, delivers the latest values when the client reads again, and
 * disconnects a client stuck past the stall limit with SLOW_CONSUMER.
 */
class SlowConsumerTest {
    static final int SYMBOLS = 20;
    static TestEdge edge;

    @BeforeAll
    static void start() {
        edge = TestEdge.inMemory(Map.of(
                "MAX_PENDING_SYMBOLS", "32",
                "SLOW_CONSUMER_MAX_STALL_MS", "5000",
                "SLOW_CONSUMER_MAX_CONFLATIONS", "2000000000",
                "HEARTBEAT_INTERVAL_MS", "500",
                "HEARTBEAT_TIMEOUT_MS", "120000"));
        await().atMost(TestInfra.TIMEOUT).until(edge::ready);
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void aClientThatStopsReadingCostsBoundedMemoryAndGetsTheLatestValuesWhenItResumes() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(edge.port(), 4096)) {
            String clientId = subscribe(raw, "SLOWA");
            double conflatedBefore = edge.metrics().conflations.count();

            Map<String, Double> last = new HashMap<>();
            int sent = 0;
            // the queue is sampled right after a broadcast: sampled later, a write completing in between (the
            // socket's buffers still took data) may have just let every pending quote out as one batch
            int pending = 0;
            while ((edge.metrics().conflations.count() - conflatedBefore < 20_000 || pending == 0) && sent < 3_000_000) {
                String symbol = "SLOWA" + (sent % SYMBOLS);
                double price = sent + 0.5;
                edge.broadcastEngine().broadcast(Update.of(TestInfra.quote(symbol, price)));
                last.put(symbol, price);
                pending = edge.connections().get(clientId).queue().size();
                sent++;
                if (sent % 1000 == 0) {
                    assertThat(edge.connections().get(clientId).queue().size()).isLessThanOrEqualTo(SYMBOLS);
                }
            }
            assertThat(edge.metrics().conflations.count() - conflatedBefore).isGreaterThanOrEqualTo(20_000);
            assertThat(pending).as("quotes waiting for the stalled client").isBetween(1, SYMBOLS);
            assertThat(edge.connections().get(clientId)).isNotNull();

            // resume reading: every symbol's final value arrives
            Map<String, Double> seen = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!seen.equals(last) && System.nanoTime() < deadline) {
                RawWebSocket.Frame f = raw.readFrame();
                assertThat(f).isNotNull();
                if (f.opcode() != RawWebSocket.TEXT) {
                    continue;
                }
                JsonNode m = JsonCodec.tree(f.text());
                if ("price_update".equals(m.path("type").asText())) {
                    seen.put(m.get("symbol").asText(), m.get("data").get("price").asDouble());
                } else if ("batch_update".equals(m.path("type").asText())) {
                    m.get("updates").forEach(u -> seen.put(u.get("symbol").asText(), u.get("data").get("price").asDouble()));
                }
            }
            assertThat(seen).isEqualTo(last);
            assertThat(edge.connections().get(clientId)).isNotNull();
        }
    }

    @Test
    void aClientStuckPastTheStallLimitIsToldSlowConsumerAndClosedWith4008() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(edge.port(), 4096)) {
            String clientId = subscribe(raw, "STUCK");
            double disconnectsBefore = edge.metrics().slowConsumerDisconnects.count();
            int sent = 0;
            // keep feeding: once the kernel buffers are full the write stays outstanding, and the heartbeat sweep
            // declares the client slow after the stall limit
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (edge.metrics().slowConsumerDisconnects.count() <= disconnectsBefore && System.nanoTime() < deadline) {
                for (int i = 0; i < 200; i++) {
                    edge.broadcastEngine().broadcast(Update.of(TestInfra.quote("STUCK" + (sent % SYMBOLS), sent)));
                    sent++;
                }
                Thread.sleep(1);
            }
            assertThat(edge.metrics().slowConsumerDisconnects.count()).isGreaterThan(disconnectsBefore);

            List<JsonNode> errors = new ArrayList<>();
            RawWebSocket.Frame f;
            int closeCode = -1;
            while ((f = readOrNull(raw)) != null) {
                if (f.opcode() == RawWebSocket.CLOSE) {
                    closeCode = f.closeCode();
                    break;
                }
                if (f.opcode() == RawWebSocket.TEXT && f.text().contains("\"error\"")) {
                    errors.add(JsonCodec.tree(f.text()));
                }
            }
            assertThat(closeCode).isEqualTo(CloseCode.SLOW_CONSUMER.code());
            assertThat(errors).extracting(e -> e.get("code").asText()).contains("SLOW_CONSUMER");
            await().until(() -> edge.connections().get(clientId) == null);
            assertThat(edge.subscriptions().getActiveSymbols()).noneMatch(s -> s.startsWith("STUCK"));
        }
    }

    private static RawWebSocket.Frame readOrNull(RawWebSocket raw) {
        try {
            return raw.readFrame();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Reads the greeting and the ack; returns the clientId. */
    private static String subscribe(RawWebSocket raw, String prefix) throws Exception {
        JsonNode hello = JsonCodec.tree(raw.readDataFrame().text());
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < SYMBOLS; i++) {
            symbols.add(prefix + i);
        }
        raw.sendText("{\"action\":\"subscribe\",\"symbols\":" + JsonCodec.toJson(symbols) + "}");
        JsonNode ack;
        do {
            ack = JsonCodec.tree(raw.readDataFrame().text());
        } while (!"subscribed".equals(ack.path("type").asText()));
        assertThat(ack.get("symbols")).hasSize(SYMBOLS);
        return hello.get("clientId").asText();
    }
}
