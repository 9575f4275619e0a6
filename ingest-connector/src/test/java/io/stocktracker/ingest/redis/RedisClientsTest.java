package io.stocktracker.ingest.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.api.StatefulRedisConnection;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.kit.redis.ManagedRedisClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every Redis user of the connector (link, leader lease, budget ledger) reconnects through the kit's client settings. */
class RedisClientsTest {
    @Test
    void aConnectionIsBackWithinTwoSecondsOfARestartedRedisAcceptingConnections() {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            ManagedRedisClient client = new ManagedRedisClient(redis.url(), "ingest", 1, Duration.ofSeconds(2), Duration.ofSeconds(3),
                    ManagedRedisClient.DEFAULT_MAX_BACKOFF);
            try (StatefulRedisConnection<String, String> c = client.client().connect()) {
                assertThat(c.sync().ping()).isEqualTo("PONG");
                redis.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> !c.isOpen());
                // down long enough for any backoff to reach its cap (the runs restarted Redis after 10 s)
                await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
                redis.restart(); // returns once redis-server says it accepts connections
                long accepting = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(c::isOpen);
                long backAfterMs = (System.nanoTime() - accepting) / 1_000_000;
                System.out.println("connector Redis connection back " + backAfterMs + " ms after redis-server accepted connections");
                assertThat(backAfterMs).isLessThanOrEqualTo(2000);
                assertThat(c.sync().ping()).isEqualTo("PONG");
            } finally {
                client.close();
            }
        }
    }
}
