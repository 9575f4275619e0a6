package io.stocktracker.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stocktracker.schemas.contract.Channels;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedRedisTest {
    static EmbeddedRedis redis;
    static RedisClient client;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
        client = RedisClient.create(redis.url());
        client.setOptions(ClientOptions.builder().autoReconnect(true).build());
    }

    @AfterAll
    static void stopRedis() {
        client.shutdown();
        redis.close();
    }

    @Test
    void publishReachesASubscriberOnTheUpdatesChannel() {
        List<String> received = new CopyOnWriteArrayList<>();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             var pub = client.connect()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received.add(channel + "|" + message);
                }
            });
            sub.sync().subscribe(Channels.UPDATES);
            assertThat(pub.sync().publish(Channels.UPDATES, "{\"type\":\"price_update\"}")).isEqualTo(1L);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(received).containsExactly(Channels.UPDATES + "|{\"type\":\"price_update\"}"));
        }
    }

    @Test
    void keysWithATtlExpire() {
        try (var conn = client.connect()) {
            conn.sync().psetex(Channels.quoteKey("TTL"), 300, "{}");
            assertThat(conn.sync().get(Channels.quoteKey("TTL"))).isEqualTo("{}");
            await().atMost(Duration.ofSeconds(10)).until(() -> conn.sync().get(Channels.quoteKey("TTL")) == null);
        }
    }

    @Test
    void subscriberSeesTheServerGoAndResubscribesWhenItReturns() {
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger disconnects = new AtomicInteger();
        AtomicInteger reconnects = new AtomicInteger();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received.add(message);
                }
            });
            sub.addListener(new RedisConnectionStateListener() {
                @Override
                public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                    disconnects.incrementAndGet();
                }

                @Override
                public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection, SocketAddress address) {
                    reconnects.incrementAndGet();
                }
            });
            sub.sync().subscribe(Channels.CONTROL);

            redis.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> disconnects.get() >= 1);
            redis.restart();

            // Lettuce re-issues SUBSCRIBE after it reconnects: a fresh publisher reaches the old subscriber
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                try (var pub = client.connect()) {
                    assertThat(pub.sync().publish(Channels.CONTROL, "after-restart")).isEqualTo(1L);
                }
                assertThat(received).contains("after-restart");
            });
            assertThat(reconnects.get()).isGreaterThanOrEqualTo(1);
        }
    }
}
