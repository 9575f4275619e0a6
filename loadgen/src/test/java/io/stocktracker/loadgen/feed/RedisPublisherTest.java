package io.stocktracker.loadgen.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.loadgen.report.MeasurementWindow;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.ws.PriceUpdate;
import io.stocktracker.schemas.ws.ServerMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Against a real redis-server: what the publisher counts as produced is what a subscriber of the channel receives. */
class RedisPublisherTest {

    @Test
    void everyQuoteStampedInTheWindowIsPublishedInOrderAndCounted() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            RedisClient client = RedisClient.create(redis.url());
            StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
            MeasurementWindow window = new MeasurementWindow();
            Map<String, AtomicLong> inWindow = new ConcurrentHashMap<>();
            Map<String, Long> lastSeq = new ConcurrentHashMap<>();
            AtomicLong outOfOrder = new AtomicLong();
            CountDownLatch any = new CountDownLatch(1);
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    PriceUpdate u = (PriceUpdate) JsonCodec.fromJson(message, ServerMessage.class);
                    Long before = lastSeq.put(u.symbol(), u.data().seq());
                    if (before != null && before >= u.data().seq()) {
                        outOfOrder.incrementAndGet();
                    }
                    long micros = u.data().ingestedAt().getEpochSecond() * 1_000_000L + u.data().ingestedAt().getNano() / 1_000;
                    if (window.contains(micros)) {
                        inWindow.computeIfAbsent(u.symbol(), k -> new AtomicLong()).incrementAndGet();
                    }
                    any.countDown();
                }
            });
            sub.sync().subscribe(Channels.UPDATES);
            RedisPublisher publisher = new RedisPublisher(redis.url(), List.of("EB0", "EB1", "EB2"), window).start(3_000);
            try {
                assertThat(any.await(30, TimeUnit.SECONDS)).isTrue();
                window.open(MeasurementWindow.nowMicros());
                TimeUnit.MILLISECONDS.sleep(1_000);
                window.close(MeasurementWindow.nowMicros());
                publisher.stop();
                Map<String, Long> produced = publisher.producedInWindow();
                assertThat(produced.values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(100);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline && !produced.keySet().stream()
                        .allMatch(s -> inWindow.getOrDefault(s, new AtomicLong()).get() == produced.get(s))) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                produced.forEach((s, n) -> assertThat(inWindow.get(s).get()).as(s).isEqualTo(n));
                assertThat(publisher.failed()).isZero();
                assertThat(outOfOrder.get()).isZero();
            } finally {
                publisher.close();
                sub.close();
                client.shutdown();
            }
        }
    }
}
