package io.stocktracker.ingest.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A provider's call allowance: credits per sliding minute and per sliding day (a limit of 0 or less
 * means unlimited). Sliding windows are the conservative reading of "8 per minute, 800 per day", so we
 * never spend what a provider's calendar window would refuse. When the provider says the quota is spent
 * anyway (keys shared with other programs, clock skew), {@link #exhaustUntil} stops spending until then.
 * A budget with a {@link BudgetPacer} also spends the day's credits no faster than the pacer grants
 * them: the sliding windows are the hard limits, the pacer spreads the day over the market's session.
 * Hand-written rather than resilience4j: see {@link BudgetPacer} for why.
 */
public final class RateBudget {
    public static final int UNLIMITED = Integer.MAX_VALUE;

    private final Window minute;
    private final Window day;
    private final BudgetPacer pacer;
    private Instant exhaustedUntil = Instant.MIN;
    private volatile SpendListener listener = (credits, now) -> { };

    /** Told of every spend, under the budget's lock: must not block (the Redis ledger queues its write). */
    @FunctionalInterface
    public interface SpendListener {
        void spent(int credits, Instant now);
    }

    public RateBudget(int perMinute, int perDay) {
        this(perMinute, perDay, null);
    }

    /** @param pacer spreads the daily credits over a trading window; null = spend as fast as the windows allow */
    public RateBudget(int perMinute, int perDay, BudgetPacer pacer) {
        this.minute = new Window(Duration.ofMinutes(1), perMinute);
        this.day = new Window(Duration.ofDays(1), perDay);
        this.pacer = pacer;
    }

    public void onSpend(SpendListener listener) {
        this.listener = listener;
    }

    /** The pacer, when this budget is spread over a trading window. */
    public java.util.Optional<BudgetPacer> pacer() {
        return java.util.Optional.ofNullable(pacer);
    }

    public static RateBudget unlimited() {
        return new RateBudget(0, 0);
    }

    public synchronized boolean limited() {
        return minute.limited() || day.limited();
    }

    /** Credits that may be spent now. */
    public synchronized int available(Instant now) {
        if (now.isBefore(exhaustedUntil)) {
            return 0;
        }
        int windows = Math.min(minute.remaining(now), day.remaining(now));
        return pacer == null ? windows : Math.min(windows, pacer.allowed(now));
    }

    /** Spends {@code credits} if all of them are available; otherwise spends nothing. */
    public synchronized boolean tryAcquire(int credits, Instant now) {
        if (credits <= 0) {
            return true;
        }
        if (available(now) < credits) {
            return false;
        }
        minute.spend(credits, now);
        day.spend(credits, now);
        if (pacer != null) {
            pacer.spend(credits, now);
        }
        listener.spent(credits, now);
        return true;
    }

    /** The provider refused for quota: spend nothing until {@code until}. */
    public synchronized void exhaustUntil(Instant until) {
        if (until.isAfter(exhaustedUntil)) {
            exhaustedUntil = until;
        }
    }

    /** True while the provider's own refusal (not our accounting) keeps this budget at zero. */
    public synchronized boolean coolingDown(Instant now) {
        return now.isBefore(exhaustedUntil);
    }

    public synchronized int remainingThisMinute(Instant now) {
        return now.isBefore(exhaustedUntil) ? 0 : minute.remaining(now);
    }

    public synchronized int remainingToday(Instant now) {
        return now.isBefore(exhaustedUntil) ? 0 : day.remaining(now);
    }

    private static final class Window {
        private final long lengthMillis;
        private final int limit;
        private final Deque<long[]> spent = new ArrayDeque<>(); // {epochMillis, credits}
        private int total;

        Window(Duration length, int limit) {
            this.lengthMillis = length.toMillis();
            this.limit = limit;
        }

        boolean limited() {
            return limit > 0;
        }

        int remaining(Instant now) {
            if (!limited()) {
                return UNLIMITED;
            }
            expire(now);
            return Math.max(0, limit - total);
        }

        void spend(int credits, Instant now) {
            if (limited()) {
                spent.addLast(new long[] {now.toEpochMilli(), credits});
                total += credits;
            }
        }

        private void expire(Instant now) {
            long cutoff = now.toEpochMilli() - lengthMillis;
            while (!spent.isEmpty() && spent.peekFirst()[0] <= cutoff) {
                total -= (int) spent.removeFirst()[1];
            }
        }
    }
}
