package io.stocktracker.kit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.api.StatefulRedisConnection;
import io.stocktracker.infra.EmbeddedRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ManagedRedisClientTest {
    @Test
    void theRetryDelayDoublesFromAHundredMillisecondsUpToTheCapWithJitterInTheUpperHalf() {
        try (ManagedRedisClient redis = new ManagedRedisClient("redis://127.0.0.1:1", "test", 1, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            for (int i = 0; i < 50; i++) {
                assertThat(redis.retryDelayMillis(0)).isBetween(100L, 200L);
                assertThat(redis.retryDelayMillis(3)).isBetween(400L, 1000L);
                assertThat(redis.retryDelayMillis(10)).isBetween(100L, 1000L);
            }
        }
    }

    @Test
    void aServiceThatStartsBeforeRedisConnectsOnceRedisIsUp() throws Exception {
        EmbeddedRedis redis = EmbeddedRedis.start();
        String url = redis.url();
        redis.stop();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<Integer> retries = new CopyOnWriteArrayList<>();
        AtomicReference<StatefulRedisConnection<String, String>> connection = new AtomicReference<>();
        try (ManagedRedisClient client = new ManagedRedisClient(url, "test", 1, Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(1))) {
            client.connectInBackground(scheduler, () -> false, () -> connection.set(client.client().connect()),
                    (e, delay, attempt) -> retries.add(attempt));
            await().atMost(Duration.ofSeconds(30)).until(() -> retries.size() >= 3);
            assertThat(connection.get()).isNull();
            redis.restart();
            await().atMost(Duration.ofSeconds(30)).until(() -> connection.get() != null);
            assertThat(connection.get().sync().ping()).isEqualTo("PONG");
            connection.get().close();
        } finally {
            scheduler.shutdownNow();
            redis.close();
        }
    }
}
