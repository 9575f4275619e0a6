package io.stocktracker.ingest.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.infra.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * issue 15: the lease across a real redis-server restart (which loses the key: no persistence) and a cut link. A blip
 * shorter than the lease's margin costs no fetching, nobody leads while someone else may still trust its lease, and a
 * leader that stops logs it when it stops.
 */
class LeaseAcrossRedisRestartTest {
    private static final Duration TTL = Duration.ofMillis(6000); // margin 1.5 s, renewed every 2 s
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EmbeddedRedis redis;
    private static RedisClient client;

    private final String key = "test:leader:" + UUID.randomUUID();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
        client = RedisClient.create(redis.url());
    }

    @AfterAll
    static void stopRedis() {
        client.shutdown();
        redis.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private LeaderElector elector(String url, String id) {
        LeaderElector e = new LeaderElector(url, key, id, TTL);
        toClose.add(e);
        e.start();
        return e;
    }

    private String keyValue() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().get(key);
        }
    }

    /** Samples electors every 2 ms: when each was first and last seen leading, and when each was first seen not leading. */
    private static final class Watch implements AutoCloseable {
        final AtomicLong lastA = new AtomicLong(-1);
        final AtomicLong firstANotLeading = new AtomicLong(-1);
        final AtomicLong firstB = new AtomicLong(-1);
        private final Thread thread;
        private volatile boolean running = true;

        Watch(LeaderElector a, LeaderElector b) {
            thread = new Thread(() -> {
                while (running) {
                    long now = System.nanoTime();
                    if (a.isLeader()) {
                        lastA.set(now);
                    } else if (firstANotLeading.get() < 0) {
                        firstANotLeading.set(now);
                    }
                    if (b != null && b.isLeader() && firstB.get() < 0) {
                        firstB.set(now);
                    }
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(1_000);
        }
    }

    /** When (System.nanoTime) the elector logged that it stopped fetching. */
    private static final class StopLog extends AppenderBase<ILoggingEvent> {
        final AtomicLong at = new AtomicLong(-1);

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel() == Level.WARN && event.getFormattedMessage().contains("stopped fetching")) {
                at.compareAndSet(-1, System.nanoTime());
            }
        }
    }

    @Test
    void aRedisRestartShorterThanTheMarginDoesNotStopTheLeader() throws Exception {
        LeaderElector a = elector(redis.url(), "a");
        assertThat(a.isLeader()).isTrue();
        try (Watch watch = new Watch(a, null)) {
            redis.stop();
            redis.restart(); // a fresh redis-server: the key is gone
            await().atMost(WAIT).until(() -> "a".equals(keyValue()));
            // a full renewal period later, still leading
            await().pollDelay(TTL.dividedBy(3)).atMost(WAIT).until(() -> true);
            watch.close();
            assertThat(watch.firstANotLeading.get()).as("a never stopped leading across the restart").isNegative();
        }
        assertThat(a.isLeader()).isTrue();
    }

    @Test
    void aLeaderWhoseVanishedKeyWasTakenBySomeoneElseStops() {
        LeaderElector a = elector(redis.url(), "a");
        assertThat(a.isLeader()).isTrue();
        redis.stop();
        redis.restart();
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set(key, "intruder"); // another instance won the empty key first
        }
        await().atMost(WAIT).until(() -> !a.isLeader());
        await().pollDelay(TTL.dividedBy(2)).atMost(WAIT).until(() -> true);
        assertThat(a.isLeader()).isFalse();
        assertThat(keyValue()).isEqualTo("intruder");
    }

    @Test
    void aStandbyThatWinsTheVanishedKeyWaitsUntilTheOldLeaderCanNoLongerTrustItsLease() throws Exception {
        try (TcpProxy proxy = new TcpProxy(redis.port())) {
            LeaderElector a = elector(proxy.redisUrl(), "a");
            LeaderElector b = elector(redis.url(), "b");
            assertThat(a.isLeader()).isTrue();
            await().atMost(WAIT).until(() -> b.holder().orElse("").equals("a")); // b has seen a's lease and its PTTL
            try (Watch watch = new Watch(a, b)) {
                proxy.cut(); // a can no longer renew, and trusts its lease until its margin
                try (StatefulRedisConnection<String, String> c = client.connect()) {
                    c.sync().del(key); // what a restart does to the key
                }
                await().atMost(WAIT).until(b::isLeader);
                watch.close();
                assertThat(watch.lastA.get()).as("a was leading until the cut").isPositive();
                assertThat(watch.firstB.get() - watch.lastA.get()).as("no moment with two leaders").isPositive();
            }
        }
    }

    @Test
    void aLeaderThatStopsLogsItWhenItStops() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(LeaderElector.class);
        StopLog stopLog = new StopLog();
        stopLog.start();
        logger.addAppender(stopLog);
        try (TcpProxy proxy = new TcpProxy(redis.port())) {
            LeaderElector a = elector(proxy.redisUrl(), "a");
            assertThat(a.isLeader()).isTrue();
            try (Watch watch = new Watch(a, null)) {
                proxy.cut();
                await().atMost(WAIT).until(() -> watch.firstANotLeading.get() > 0 && stopLog.at.get() > 0);
                long lateMs = Duration.ofNanos(stopLog.at.get() - watch.firstANotLeading.get()).toMillis();
                System.out.println("the stop was logged " + lateMs + " ms after isLeader() turned false");
                assertThat(lateMs).as("logged when it stopped, not at the next Redis call").isLessThan(500);
            }
        } finally {
            logger.detachAppender(stopLog);
        }
    }
}
