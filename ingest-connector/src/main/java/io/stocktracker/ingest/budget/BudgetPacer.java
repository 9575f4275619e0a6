package io.stocktracker.ingest.budget;

import java.time.Duration;
import java.time.Instant;

/**
 * Spreads a provider's daily allowance evenly over the {@link TradingWindow}, so a free tier (TwelveData
 * 800/day, AlphaVantage 25/day) gives fresh prices all session instead of for a few minutes after
 * midnight. Within a period (one window occurrence, or one gap between two) credits accrue at
 * {@code unallocated / time left in the period}: a restart re-spreads what is left, credits nobody
 * needed stay unallocated and raise the rate for the rest of the period (carried forward), and the last
 * one accrues just before the period ends. The window gets the allowance minus the off-hours share; each
 * gap (an evening, a weekend) gets the share, 0 by default: real providers rest while the market is shut.
 *
 * <p>At most a burst of about one minute's worth (never more than the per-minute limit) waits to be
 * spent, so a quiet hour cannot turn into a flood later. The first credit of a period is granted at
 * once: the first subscriber after the open (or after a restart) sees a price without waiting a full
 * pacing interval.
 *
 * <p>Why not resilience4j's RateLimiter: it refills a fixed number of permits per fixed refresh period
 * on {@code System.nanoTime}. It cannot express "what is left over what is left of the window",
 * re-spread after a restart, rest outside market hours, or be driven by a test clock across a whole
 * simulated day. This class is pure (no clock, no I/O): every method takes {@code now}.
 */
public final class BudgetPacer {
    private static final double EPSILON = 1e-9;

    private final TradingWindow window;
    private final int dailyAllowance;
    private final double offHoursShare;
    private final int perMinuteLimit;

    private TradingWindow.Period period;
    private int spent;
    private double accrued;
    private Instant lastAccrual;

    /**
     * @param dailyAllowance credits per day (the provider's daily limit)
     * @param offHoursShare  fraction (0..1) of the daily allowance spent in each gap between two windows
     * @param perMinuteLimit the provider's per-minute limit, bounding a burst (0 = none)
     */
    public BudgetPacer(TradingWindow window, int dailyAllowance, double offHoursShare, int perMinuteLimit) {
        if (dailyAllowance <= 0) {
            throw new IllegalArgumentException("a pacer spreads a limited daily allowance, got " + dailyAllowance);
        }
        if (offHoursShare < 0 || offHoursShare > 1) {
            throw new IllegalArgumentException("off-hours share must be 0..1, got " + offHoursShare);
        }
        this.window = window;
        this.dailyAllowance = dailyAllowance;
        this.offHoursShare = offHoursShare;
        this.perMinuteLimit = perMinuteLimit;
    }

    public TradingWindow window() {
        return window;
    }

    /** Whole credits that may be spent at {@code now}. */
    public synchronized int allowed(Instant now) {
        accrue(now);
        return (int) Math.floor(accrued + EPSILON);
    }

    /** Records credits spent at {@code now} (the caller checked {@link #allowed} first). */
    public synchronized void spend(int credits, Instant now) {
        accrue(now);
        spent += credits;
        accrued -= credits;
    }

    /**
     * A restarted connector (or a new leader) learns that {@code credits} were spent in the current
     * period by all instances together (this one included): only the rest is spread over what is left of it.
     */
    public synchronized void alreadySpent(int credits, Instant now) {
        accrue(now);
        if (credits > spent) {
            spent = credits;
            accrued = Math.min(accrued, Math.max(0, allowance() - spent));
        }
    }

    /** The period {@code now} falls in (what a shared spend counter is kept per). */
    public synchronized TradingWindow.Period period(Instant now) {
        accrue(now);
        return period;
    }

    /** Credits of the current period not spent yet (granted or still to accrue). */
    public synchronized int remainingInPeriod(Instant now) {
        accrue(now);
        return Math.max(0, allowance() - spent);
    }

    /** True while {@code now} is inside the window (not an off-hours gap). */
    public synchronized boolean inWindow(Instant now) {
        accrue(now);
        return period.active();
    }

    /** How long until the next whole credit: zero when one is available, the period's end when none is left. */
    public synchronized Duration untilNextCredit(Instant now) {
        accrue(now);
        if (accrued + EPSILON >= 1) {
            return Duration.ZERO;
        }
        double unallocated = allowance() - spent - accrued;
        long left = Duration.between(now, period.end()).toMillis();
        if (unallocated < 1 - accrued - EPSILON || left <= 0) {
            return Duration.ofMillis(Math.max(0, left));
        }
        return Duration.ofMillis((long) Math.ceil((1 - accrued) * left / unallocated));
    }

    private int allowance() {
        if (window.isAlways()) {
            return dailyAllowance;
        }
        int offHours = (int) Math.floor(dailyAllowance * offHoursShare);
        return period.active() ? dailyAllowance - offHours : offHours;
    }

    private void accrue(Instant now) {
        if (period == null || now.isBefore(period.start()) || !now.isBefore(period.end())) {
            period = window.periodAt(now);
            spent = 0;
            accrued = Math.min(1, allowance());
            lastAccrual = now;
            return;
        }
        long elapsed = Duration.between(lastAccrual, now).toMillis();
        if (elapsed <= 0) {
            return;
        }
        long left = Duration.between(lastAccrual, period.end()).toMillis();
        double unallocated = allowance() - spent - accrued;
        if (unallocated > 0) {
            accrued += unallocated * Math.min(1.0, (double) elapsed / left);
        }
        lastAccrual = now;
        accrued = Math.min(accrued, burst(now));
    }

    /** About a minute's worth at the current pace, at least one credit, never above the per-minute limit. */
    private double burst(Instant now) {
        double minutesLeft = Math.max(1.0, Duration.between(now, period.end()).toMillis() / 60_000.0);
        double perMinute = Math.max(0, allowance() - spent) / minutesLeft;
        double cap = Math.max(1.0, Math.ceil(perMinute - EPSILON));
        return perMinuteLimit > 0 ? Math.min(cap, perMinuteLimit) : cap;
    }
}
