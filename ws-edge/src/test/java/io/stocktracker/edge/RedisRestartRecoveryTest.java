package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.model.StockQuote;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * issue 15: after a Redis restart, updates flow through Redis again within 2 s of Redis accepting connections. The
 * bound is asserted on when the edge is reconnected and resubscribed, measured from redis-server's readiness (what
 * the reconnect backoff decides); that updates then flow through Redis is checked with a generous timeout.
 */
class RedisRestartRecoveryTest {
    @Test
    void withTheDefaultBackoffAnEdgeIsBackWithinTwoSecondsOfRedisAcceptingConnectionsAndRelaysThroughItAgain() throws Exception {
        String defaultCap = String.valueOf(EdgeConfig.defaults().redisReconnectMaxBackoff().toMillis());
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            TestEdge edge = TestEdge.real(Map.of("REDIS_URL", redis.url(), "REDIS_RECONNECT_MAX_BACKOFF_MS", defaultCap));
            try {
                await().atMost(TestInfra.TIMEOUT).until(edge::ready);
                redis.stop();
                await().atMost(TestInfra.TIMEOUT).until(() -> !edge.bridge().health().pubSubUp());
                // down long enough for the backoff to reach its cap (the runs restarted Redis after 10 s)
                await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
                redis.restart(); // returns once redis-server says it accepts connections
                long accepting = System.nanoTime();
                await().atMost(TestInfra.TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> edge.bridge().health().pubSubUp());
                long backAfterMs = (System.nanoTime() - accepting) / 1_000_000;
                System.out.println("edge reconnected and resubscribed " + backAfterMs + " ms after redis-server accepted connections");
                assertThat(backAfterMs).isLessThanOrEqualTo(2000);

                RedisClient client = RedisClient.create(redis.url());
                try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
                    BlockingQueue<String> published = new LinkedBlockingQueue<>();
                    sub.addListener(new RedisPubSubAdapter<>() {
                        @Override
                        public void message(String channel, String message) {
                            published.add(message);
                        }
                    });
                    sub.sync().subscribe(Channels.UPDATES);
                    StockQuote q = TestInfra.publish("AFTERRESTART", 3.0);
                    await().atMost(TestInfra.TIMEOUT).until(() -> published.stream().anyMatch(m -> m.contains("\"AFTERRESTART\"")
                            && m.contains("\"seq\":" + q.seq())));
                } finally {
                    client.shutdown();
                }
            } finally {
                edge.close();
            }
        }
    }
}
