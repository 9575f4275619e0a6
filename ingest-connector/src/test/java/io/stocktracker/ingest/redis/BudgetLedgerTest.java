package io.stocktracker.ingest.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stocktracker.infra.TcpProxy;
import io.stocktracker.ingest.RedisForTests;
import io.stocktracker.ingest.budget.BudgetPacer;
import io.stocktracker.ingest.budget.RateBudget;
import io.stocktracker.ingest.budget.TradingWindow;
import io.stocktracker.schemas.contract.Channels;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two connectors' ledgers against a real redis-server: what one spent, the next leader does not spend again. */
class BudgetLedgerTest {
    private static final Instant NOON = Instant.parse("2024-01-10T17:00:00Z"); // Wednesday, 12:00 in New York
    private static final Instant OPEN = Instant.parse("2024-01-10T14:30:00Z");

    private static RedisForTests redis;

    private final String provider = "test-" + UUID.randomUUID();

    @BeforeAll
    static void startRedis() {
        redis = RedisForTests.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static RateBudget twelveData() {
        return new RateBudget(8, 800, new BudgetPacer(TradingWindow.usRegularSession(), 800, 0, 8));
    }

    @Test
    void aNewLeaderSpreadsOnlyWhatThePreviousOneLeftOfTheSession() {
        String key = Channels.ingestBudgetKey(provider, OPEN.getEpochSecond());
        RateBudget first = twelveData();
        try (BudgetLedger ledger = new BudgetLedger(redis.url())) {
            ledger.track(provider, first);
            for (Instant t = OPEN; t.isBefore(NOON); t = t.plusSeconds(2)) {
                int n = first.available(t);
                if (n > 0) {
                    first.tryAcquire(n, t);
                }
            }
        } // close flushes the queued writes
        int spentByFirst = 800 - first.pacer().orElseThrow().remainingInPeriod(NOON);
        assertThat(spentByFirst).as("2.5 of 6.5 hours").isBetween(300, 315);
        assertThat(redis.sync().get(key)).isEqualTo(String.valueOf(spentByFirst));
        assertThat(redis.sync().pttl(key)).as("kept until an hour after the close").isPositive();

        RateBudget second = twelveData();
        try (BudgetLedger ledger = new BudgetLedger(redis.url())) {
            ledger.track(provider, second);
            ledger.restore(NOON);

            assertThat(second.pacer().orElseThrow().remainingInPeriod(NOON)).isEqualTo(800 - spentByFirst);
            second.tryAcquire(1, NOON);
            await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(spentByFirst + 1).equals(redis.sync().get(key)));
            assertThat(ledger.failedWrites()).isZero();
        }
    }

    @Test
    void restoringNeverGivesBackWhatThisProcessAlreadySpent() {
        RateBudget budget = twelveData();
        try (BudgetLedger ledger = new BudgetLedger(redis.url())) {
            ledger.track(provider, budget);
            budget.tryAcquire(1, OPEN);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "1".equals(redis.sync().get(Channels.ingestBudgetKey(provider, OPEN.getEpochSecond()))));
            redis.sync().del(Channels.ingestBudgetKey(provider, OPEN.getEpochSecond())); // e.g. Redis lost its data

            ledger.restore(OPEN.plusSeconds(1));

            assertThat(budget.pacer().orElseThrow().remainingInPeriod(OPEN.plusSeconds(1))).isEqualTo(799);
        }
    }

    @Test
    void withRedisAwayASpendIsNotHeldUpAndTheFailureIsCounted() throws Exception {
        try (TcpProxy proxy = new TcpProxy(redis.port());
             BudgetLedger ledger = new BudgetLedger(proxy.redisUrl())) {
            proxy.cut();
            RateBudget budget = twelveData();
            ledger.track(provider, budget);

            assertThat(budget.tryAcquire(1, OPEN)).isTrue();
            ledger.restore(OPEN); // gives up, keeps what the process knows

            await().atMost(Duration.ofSeconds(20)).until(() -> ledger.failedWrites() == 1);
            assertThat(budget.pacer().orElseThrow().remainingInPeriod(OPEN)).isEqualTo(799);
        }
    }
}
