package io.stocktracker.loadgen.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.stocktracker.loadgen.edgebench.EdgeUnderTest;
import io.stocktracker.loadgen.feed.PriceUpdateTemplate;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.redis.ControlMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The storm's clients against a real edge (child JVM, real redis-server and broker): dropped by a drain (1001), refused
 * while the edge drains, they come back after {@code resume}, subscribe with {@code since} and end on the latest seq,
 * with nothing repeated (a subscribe without {@code since} would bring the unchanged symbol's snapshot again).
 */
class StormFleetTest {
    private static final List<String> SYMBOLS = List.of("STORMA", "STORMB");
    private static final int CLIENTS = 10;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void clientsDrainedAwayComeBackWithSinceAndHoldTheLatestSeqWithoutDuplicates() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        PrintStream progress = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (EdgeUnderTest edge = EdgeUnderTest.start("-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1", classpath, Map.of(),
                Path.of("target/storm-edge"), Duration.ofSeconds(120), progress);
             StormFleet fleet = new StormFleet(List.of(edge.wsUrl()), SYMBOLS, Collections.nCopies(CLIENTS, SYMBOLS))) {
            RedisClient redisClient = RedisClient.create(edge.redisUrl());
            try (StatefulRedisConnection<byte[], byte[]> redis = redisClient.connect(ByteArrayCodec.INSTANCE)) {
                assertThat(fleet.connectAll(0, Duration.ofSeconds(60))).isTrue();
                long seq = Instant.now().getEpochSecond() * 1000;
                publish(redis, "STORMA", seq);
                publish(redis, "STORMB", seq);
                awaitResynced(fleet, Map.of("STORMA", seq, "STORMB", seq));

                fleet.startPhase();
                control(redis, ControlMessage.Command.drain);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (fleet.subscribed() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(fleet.subscribed()).as("every client closed by the drain").isZero();
                publish(redis, "STORMA", seq + 1); // while they are away: reaches them only as a snapshot
                Thread.sleep(500);
                control(redis, ControlMessage.Command.resume);
                assertThat(fleet.awaitAllSubscribed(Duration.ofSeconds(60))).isTrue();
                awaitResynced(fleet, Map.of("STORMA", seq + 1, "STORMB", seq));

                StormFigures f = fleet.endPhase();
                assertThat(f.dropped()).isEqualTo(CLIENTS);
                assertThat(f.resubscribed()).isEqualTo(CLIENTS);
                assertThat(f.resynced()).isEqualTo(CLIENTS);
                assertThat(f.toSubscribedMs().getTotalCount()).isEqualTo(CLIENTS);
                assertThat(f.duplicates()).as("nothing at or below a held seq: the resume carried since").isZero();
            } finally {
                redisClient.shutdown();
            }
        }
    }

    private static void publish(StatefulRedisConnection<byte[], byte[]> redis, String symbol, long seq) {
        redis.sync().publish(Channels.UPDATES.getBytes(StandardCharsets.UTF_8),
                PriceUpdateTemplate.render(symbol, seq, 100.0, "storm-test", Instant.now()));
    }

    private static void control(StatefulRedisConnection<byte[], byte[]> redis, ControlMessage.Command command) {
        redis.sync().publish(Channels.CONTROL.getBytes(StandardCharsets.UTF_8),
                JsonCodec.toJson(ControlMessage.of(command, "bench-edge")).getBytes(StandardCharsets.UTF_8));
    }

    private static void awaitResynced(StormFleet fleet, Map<String, Long> current) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long behind;
        while ((behind = fleet.resyncCheck(current)) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(behind).as("(client, symbol) pairs behind " + current).isZero();
    }
}
