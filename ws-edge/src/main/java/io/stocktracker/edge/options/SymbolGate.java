package io.stocktracker.edge.options;

import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.schemas.model.StockQuote;

/**
 * One connection's {@code maxRate} and {@code minChangePercent} for one symbol, with no clock or timer of its own:
 * the caller passes the time and arms the timer when told to. Not thread-safe (its owner locks).
 *
 * <p>{@code minChangePercent} compares with the last price let through (or snapshot sent): that is the value the
 * client holds, or will hold once its queue drains. A tick that moved less drops the value held back by
 * {@code maxRate} too: the client's price is then within the threshold of the market, and sending the held one
 * would move it away again. {@code maxRate}: a tick inside the interval is held (a newer one replaces it) and a
 * timer lets the newest out when the interval opens, so a quiet symbol is never left showing an old price.
 */
final class SymbolGate {
    enum Verdict {
        /** Deliver it now. */
        PASS,
        /** Held for the interval's end; arm a timer for {@link #opensAt()}. */
        HOLD_AND_ARM,
        /** Held; a timer is already armed. */
        HOLD,
        /** Not sent: older than what was let through, or moved too little. */
        DROP
    }

    private final SymbolOptions options;
    private boolean sentAny;
    private long lastSentAt;
    private double lastPrice;
    private long lastSeq = Long.MIN_VALUE;
    private PendingQuote held;
    private boolean armed;

    SymbolGate(SymbolOptions options) {
        this.options = options;
    }

    Verdict offer(PendingQuote quote, long nowNanos) {
        StockQuote q = quote.quote();
        if (q.seq() != null) {
            if (q.seq() <= lastSeq) {
                return Verdict.DROP;
            }
            lastSeq = q.seq();
        }
        if (movedTooLittle(q.price())) {
            held = null;
            return Verdict.DROP;
        }
        if (options.intervalNanos() == 0 || !sentAny || nowNanos - lastSentAt >= options.intervalNanos()) {
            held = null;
            sent(q.price(), nowNanos);
            return Verdict.PASS;
        }
        held = quote;
        if (armed) {
            return Verdict.HOLD;
        }
        armed = true;
        return Verdict.HOLD_AND_ARM;
    }

    /** When the interval opens (valid after {@link Verdict#HOLD_AND_ARM}). */
    long opensAt() {
        return lastSentAt + options.intervalNanos();
    }

    /** The armed timer fired: the held quote to deliver now, or null when none waits any more. */
    PendingQuote release(long nowNanos) {
        armed = false;
        PendingQuote q = held;
        if (q == null) {
            return null;
        }
        held = null;
        sent(q.quote().price(), nowNanos);
        return q;
    }

    /** The snapshot always goes; it is the client's value to measure moves from and it opens a new interval. */
    void snapshot(StockQuote q, long nowNanos) {
        if (q.seq() != null) {
            lastSeq = Math.max(lastSeq, q.seq());
        }
        held = null;
        sent(q.price(), nowNanos);
    }

    private boolean movedTooLittle(double price) {
        double min = options.minChangePercent();
        return min > 0 && sentAny && Math.abs(price - lastPrice) * 100 < min * Math.abs(lastPrice);
    }

    private void sent(double price, long nowNanos) {
        sentAny = true;
        lastSentAt = nowNanos;
        lastPrice = price;
    }
}
