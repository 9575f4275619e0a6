package io.stocktracker.edge;

import io.stocktracker.edge.bridge.BridgeConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.StockQuote;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * issue 15 point 1: after a real redis-server restart, a client of one edge gets current updates of a symbol relayed
 * by the other edge (through Redis) within 2 s of Redis accepting connections: reconnect, resubscription and the
 * relay's publish path together, with the default reconnect backoff.
 */
class RedisRestartFlowTest {
    private static final long MAX_MS = 2000;
    /** The runs restarted Redis 10 s after killing it: the backoff has reached its cap. */
    private static final Duration DOWN = Duration.ofSeconds(10);

    @Test
    void updatesRelayedByAnotherEdgeReachAClientWithinTwoSecondsOfARestartedRedisAcceptingConnections() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String group = "ws-edge-redis-flow-" + run;
        String cap = String.valueOf(BridgeConfig.DEFAULT_REDIS_RECONNECT_MAX_BACKOFF.toMillis());
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            TestEdge a = TestEdge.real(Map.of("EDGE_ID", "edge-flow-a-" + run, "EDGE_CONSUMER_GROUP", group,
                    "REDIS_URL", redis.url(), "REDIS_RECONNECT_MAX_BACKOFF_MS", cap));
            TestEdge b = TestEdge.real(Map.of("EDGE_ID", "edge-flow-b-" + run, "EDGE_CONSUMER_GROUP", group,
                    "REDIS_URL", redis.url(), "REDIS_RECONNECT_MAX_BACKOFF_MS", cap));
            AtomicBoolean feeding = new AtomicBoolean(true);
            Thread feed = null;
            try {
                await().atMost(TestInfra.TIMEOUT).until(() -> a.ready() && b.ready() && TwoEdgesTest.splitBetween(a, b));
                String symbol = symbolOn(TestInfra.partitionsOwnedBy(a), "FLOW" + run.toUpperCase());
                try (WsClient onB = WsClient.open(b.port())) {
                    onB.subscribe(symbol);
                    onB.next("subscribed");
                    StockQuote first = TestInfra.publish(symbol, 1.0);
                    onB.nextPrice(symbol, first.price()); // relayed by a, through Redis

                    List<StockQuote> written = java.util.Collections.synchronizedList(new ArrayList<>());
                    feed = new Thread(() -> {
                        double price = 2;
                        while (feeding.get()) {
                            written.add(TestInfra.publish(symbol, price++));
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    feed.setDaemon(true);
                    feed.start();

                    redis.stop();
                    await().atMost(TestInfra.TIMEOUT).until(() -> !a.bridge().health().pubSubUp() && !b.bridge().health().pubSubUp());
                    await().pollDelay(DOWN).atMost(DOWN.plusSeconds(1)).until(() -> true);
                    onB.messages.clear();
                    redis.restart(); // returns once redis-server accepts connections
                    long accepting = System.nanoTime();
                    long seqAtRestart = written.get(written.size() - 1).seq();

                    long flowingAfterMs = -1;
                    long deadline = accepting + TimeUnit.SECONDS.toNanos(30);
                    while (flowingAfterMs < 0 && System.nanoTime() < deadline) {
                        JsonNode m = onB.messages.poll(10, TimeUnit.MILLISECONDS);
                        if (m != null && seqOf(m, symbol) >= seqAtRestart) {
                            flowingAfterMs = (System.nanoTime() - accepting) / 1_000_000;
                        }
                    }
                    System.out.println("Redis restart: a client of the other edge had current updates " + flowingAfterMs
                            + " ms after redis-server accepted connections");
                    assertThat(flowingAfterMs).as("current updates reached the client (ms after Redis accepted)").isNotNegative()
                            .isLessThanOrEqualTo(MAX_MS);
                }
            } finally {
                feeding.set(false);
                if (feed != null) {
                    feed.join(5_000);
                }
                a.close();
                b.close();
            }
        }
    }

    private static long seqOf(JsonNode m, String symbol) {
        long seq = -1;
        if ("price_update".equals(m.path("type").asText()) && symbol.equals(m.path("symbol").asText())) {
            seq = m.path("data").path("seq").asLong();
        }
        if ("batch_update".equals(m.path("type").asText())) {
            for (JsonNode u : m.path("updates")) {
                if (symbol.equals(u.path("symbol").asText())) {
                    seq = Math.max(seq, u.path("data").path("seq").asLong());
                }
            }
        }
        return seq;
    }

    private static String symbolOn(Set<Integer> partitions, String prefix) {
        for (int i = 0; ; i++) {
            String s = prefix + i;
            int p = Utils.toPositive(Utils.murmur2(s.getBytes(StandardCharsets.UTF_8))) % Topics.DEFAULT_PARTITIONS;
            if (partitions.contains(p)) {
                return s;
            }
        }
    }
}
