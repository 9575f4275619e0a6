package io.stocktracker.ingest.redis;

import io.lettuce.core.api.sync.RedisCommands;
import io.stocktracker.ingest.budget.BudgetPacer;
import io.stocktracker.ingest.budget.RateBudget;
import io.stocktracker.ingest.budget.TradingWindow;
import io.stocktracker.schemas.contract.Channels;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paced providers' spend, shared in Redis ({@code ingest:budget:{provider}:{periodStart}}, INCRBY per
 * spend, expiring an hour after the period), so a restarted connector or a new leader spreads what is
 * really left of the period instead of a full day: without it, a fail-over at noon would spend the day's
 * credits twice and the provider would refuse for the rest of the session. Writes are queued on the
 * ledger's own thread (a spend never waits for Redis); one that fails is counted and logged, and the
 * provider's own quota refusal stays the backstop.
 */
public final class BudgetLedger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BudgetLedger.class);
    private static final Duration KEEP_AFTER_PERIOD = Duration.ofHours(1);

    private final LazyRedisConnection redis; // opened on first use: most deployments pace nothing
    private final ExecutorService executor;
    private final Map<String, BudgetPacer> pacers = new ConcurrentHashMap<>();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile boolean closed;

    public BudgetLedger(String redisUrl) {
        this.redis = new LazyRedisConnection(redisUrl, Duration.ofSeconds(2));
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ingest-budget-ledger");
            t.setDaemon(true);
            return t;
        });
    }

    /** Records every spend of {@code budget}'s pacer under {@code provider}. */
    public void track(String provider, RateBudget budget) {
        budget.pacer().ifPresent(pacer -> {
            pacers.put(provider, pacer);
            budget.onSpend((credits, now) -> {
                TradingWindow.Period period = pacer.period(now);
                if (!closed) {
                    executor.execute(() -> record(provider, period, credits, now));
                }
            });
        });
    }

    public boolean tracksAnything() {
        return !pacers.isEmpty();
    }

    /** Writes that did not reach Redis. */
    public long failedWrites() {
        return failedWrites.get();
    }

    private void record(String provider, TradingWindow.Period period, int credits, Instant now) {
        String key = Channels.ingestBudgetKey(provider, period.start().getEpochSecond());
        try {
            RedisCommands<String, String> redis = commands();
            redis.incrby(key, credits);
            redis.pexpire(key, Duration.between(now, period.end()).plus(KEEP_AFTER_PERIOD).toMillis());
        } catch (RuntimeException e) {
            if (failedWrites.incrementAndGet() == 1) {
                log.warn("could not record spent credits in Redis ({}); a new leader may overspend {} today", e.toString(), provider);
            }
        }
    }

    /**
     * Reads what every instance spent in the current period and lets each pacer spread only the rest.
     * Waits at most a few seconds; without Redis the pacers keep what this process knows.
     */
    public void restore(Instant now) {
        if (pacers.isEmpty() || closed) {
            return;
        }
        try {
            executor.submit(() -> {
                RedisCommands<String, String> redis = commands();
                pacers.forEach((provider, pacer) -> {
                    String spent = redis.get(Channels.ingestBudgetKey(provider, pacer.period(now).start().getEpochSecond()));
                    if (spent != null) {
                        pacer.alreadySpent(Integer.parseInt(spent), now);
                        log.info("{} spent {} credits of this period before; {} left to spread", provider, spent,
                                pacer.remainingInPeriod(now));
                    }
                });
                return null;
            }).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("could not read spent credits from Redis ({}); pacing with what this process knows", e.toString());
        }
    }

    /** {@link #restore} without waiting for it (a single instance at start, when Redis may still be away). */
    public void restoreInBackground(java.time.Clock clock) {
        if (!pacers.isEmpty() && !closed) {
            Thread t = new Thread(() -> restore(clock.instant()), "ingest-budget-restore");
            t.setDaemon(true);
            t.start();
        }
    }

    private RedisCommands<String, String> commands() {
        return redis.sync();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        executor.shutdown(); // queued writes still go out
        try {
            executor.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        redis.close();
    }
}
