package io.stocktracker.ingest.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stocktracker.infra.TcpProxy;
import io.stocktracker.ingest.RedisForTests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two electors against a real redis-server, with short TTLs. Each test uses its own key. */
class LeaderElectorTest {
    private static final Duration TTL = Duration.ofMillis(3000); // short, yet a renewal stalled by a loaded 2-core CI machine still lands
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static RedisForTests redis;

    private final String key = "test:leader:" + UUID.randomUUID();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisForTests.start();
    }

    @AfterAll
    static void stopRedis() {
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

    /** Samples both electors every few ms: when each was last and first seen leading. */
    private static final class Watch implements AutoCloseable {
        final AtomicLong lastA = new AtomicLong(-1);
        final AtomicLong firstB = new AtomicLong(-1);
        private final Thread thread;
        private volatile boolean running = true;

        Watch(LeaderElector a, LeaderElector b) {
            thread = new Thread(() -> {
                while (running) {
                    long now = System.nanoTime();
                    if (a.isLeader()) {
                        lastA.set(now);
                    }
                    if (b.isLeader() && firstB.get() < 0) {
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

    @Test
    void onlyOneOfTwoInstancesLeadsAndTheLeaseIsNotStolenWhileTheLeaderRenews() throws InterruptedException {
        LeaderElector a = elector(redis.url(), "a");
        LeaderElector b = elector(redis.url(), "b");

        assertThat(a.isLeader()).as("the first to ask leads from its start").isTrue();
        assertThat(b.isLeader()).isFalse();
        assertThat(redis.sync().get(key)).isEqualTo("a");

        try (Watch watch = new Watch(a, b)) {
            Thread.sleep(TTL.multipliedBy(2).toMillis()); // six renewals and several standby tries
            assertThat(watch.firstB.get()).as("the standby never led").isNegative();
        }
        assertThat(a.isLeader()).isTrue();
        assertThat(b.holder()).contains("a");
        assertThat(redis.sync().pttl(key)).as("renewed, with a TTL").isBetween(1L, TTL.toMillis());
    }

    @Test
    void aNewLeaderTakesOverBeforeItCountsAsLeading() {
        // the take-over (reading what the previous leader spent) must finish before the first fetch as leader
        LeaderElector a = new LeaderElector(redis.url(), key, "a", TTL);
        toClose.add(a);
        AtomicBoolean leadingDuringTakeOver = new AtomicBoolean(true);
        a.onLeading(() -> leadingDuringTakeOver.set(a.isLeader()));
        a.start();

        assertThat(a.isLeader()).isTrue();
        assertThat(leadingDuringTakeOver).as("not yet leading while the take-over runs").isFalse();
    }

    @Test
    void aKilledLeaderIsReplacedWithinTheTtl() throws InterruptedException {
        LeaderElector a = elector(redis.url(), "a");
        LeaderElector b = elector(redis.url(), "b");
        assertThat(a.isLeader()).isTrue();

        long killedAt = System.nanoTime();
        a.halt(); // no release: the key stays until it expires

        assertThat(redis.sync().get(key)).isEqualTo("a");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(b::isLeader);
        long takeover = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
        assertThat(takeover).as("after the key expired, within the TTL (slack for a loaded machine)")
                .isLessThan(TTL.toMillis() + 5_000);
        assertThat(redis.sync().get(key)).isEqualTo("b");
    }

    @Test
    void aGracefulCloseReleasesTheLeaseAtOnce() {
        LeaderElector a = elector(redis.url(), "a");
        LeaderElector b = elector(redis.url(), "b");
        assertThat(a.isLeader()).isTrue();

        a.close();

        assertThat(redis.sync().exists(key)).as("released, not left to expire").isZero();
        await().atMost(WAIT).until(b::isLeader);
    }

    @Test
    void aReleaseNeverDeletesSomeoneElsesLease() {
        LeaderElector a = elector(redis.url(), "a");
        assertThat(a.isLeader()).isTrue();
        redis.sync().set(key, "intruder"); // e.g. an operator moved the lease by hand

        await().atMost(WAIT).until(() -> !a.isLeader());
        a.close();

        assertThat(redis.sync().get(key)).isEqualTo("intruder");
    }

    @Test
    void aLeaderCutOffFromRedisStopsBeforeTheStandbyCanTakeOver() throws Exception {
        try (TcpProxy proxy = new TcpProxy(redis.port())) {
            LeaderElector a = elector(proxy.redisUrl(), "a");
            LeaderElector b = elector(redis.url(), "b");
            assertThat(a.isLeader()).isTrue();

            long cutAt;
            try (Watch watch = new Watch(a, b)) {
                cutAt = System.nanoTime();
                proxy.cut();
                await().atMost(WAIT).until(b::isLeader);
                watch.close();

                assertThat(watch.lastA.get()).as("a was leading until the cut").isPositive();
                assertThat(watch.firstB.get() - watch.lastA.get()).as("no moment with two leaders").isPositive();
                assertThat(Duration.ofNanos(watch.firstB.get() - cutAt).toMillis()).isLessThan(TTL.toMillis() + 5_000);
            }
            assertThat(a.isLeader()).isFalse();

            proxy.heal();
            // a reconnects, finds b's id in the key and stays standby
            await().atMost(WAIT).until(() -> a.redisReachable() && a.holder().orElse("").equals("b"));
            assertThat(a.isLeader()).isFalse();
            assertThat(b.isLeader()).isTrue();
        }
    }

    @Test
    void withRedisDownNobodyLeadsAndTheFirstToReachItAfterwardsDoes() throws Exception {
        try (TcpProxy proxy = new TcpProxy(redis.port())) {
            proxy.cut();
            LeaderElector a = elector(proxy.redisUrl(), "a");

            assertThat(a.isLeader()).isFalse();
            assertThat(a.redisReachable()).isFalse();

            proxy.heal();
            await().atMost(WAIT).until(a::isLeader);
            assertThat(a.redisReachable()).isTrue();
        }
    }
}
