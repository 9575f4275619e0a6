package io.stocktracker.edge.fanout;

import io.stocktracker.schemas.model.StockQuote;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One connection's outbound state, with no I/O: at most one frame in flight; control frames (acks,
 * errors, pongs, snapshots) wait in a short FIFO; quotes wait in a map symbol -> latest, so a client that
 * cannot keep up gets the newest value per symbol instead of an ever-growing queue (conflation). When several
 * quotes wait, they leave as one batch. The caller sends what a method returns and calls {@link #completed()}
 * when the transport's write callback fires.
 *
 * <p>Per symbol it also keeps the last seq let out (live, batched or snapshot) and lets nothing out at or
 * below it. This is where the order of a connection's frames is decided, so it is the one place that can
 * promise "never the same seq twice, never an older one after a newer one" whatever the order in which the
 * quote path (cache, then fan-out) and the subscribe path (register, then read the cache) ran.
 */
public final class ClientQueue {
    /**
     * A waiting quote; {@code frame} is the shared, already-serialized price_update (String text or byte[] binary).
     * One instance is shared by every subscriber of an update, so its batch entry is serialized at most once too.
     */
    public static final class PendingQuote {
        private final String symbol;
        private final StockQuote quote;
        private final Object frame;
        private volatile byte[] batchEntry;

        public PendingQuote(String symbol, StockQuote quote, Object frame) {
            this.symbol = symbol;
            this.quote = quote;
            this.frame = frame;
        }

        public String symbol() {
            return symbol;
        }

        public StockQuote quote() {
            return quote;
        }

        public Object frame() {
            return frame;
        }

        /** {@code {"symbol":..,"data":{..}}} as UTF-8, computed on first use (a benign race at worst encodes it twice). */
        public byte[] batchEntry(java.util.function.Function<PendingQuote, byte[]> encoder) {
            byte[] e = batchEntry;
            if (e == null) {
                e = encoder.apply(this);
                batchEntry = e;
            }
            return e;
        }
    }

    /** A symbol's waiting quote (null when none) and the highest seq this connection was sent or holds. */
    private static final class SymbolSlot {
        PendingQuote waiting;
        long lastSent = NO_SEQ;
    }

    private static final long NO_SEQ = Long.MIN_VALUE;

    public enum Outcome {
        /** Send the returned frame now. */
        SEND,
        /** Queued behind the frame in flight. */
        QUEUED,
        /** Replaced an older pending value for the same symbol. */
        CONFLATED,
        /** Older than what is already pending, or at or below the seq already sent for its symbol; dropped. */
        STALE,
        /** Past the slow-consumer limit: the caller must disconnect this client. */
        SLOW,
        /** The client was already declared slow; ignore. */
        CLOSED,
        /** Held back or dropped by the subscription's options (maxRate, minChangePercent) before reaching the queue. */
        SHAPED
    }

    public record Result(Outcome outcome, Object frame) {
        static final Result QUEUED = new Result(Outcome.QUEUED, null);
        static final Result CONFLATED = new Result(Outcome.CONFLATED, null);
        static final Result STALE = new Result(Outcome.STALE, null);
        static final Result SLOW = new Result(Outcome.SLOW, null);
        static final Result CLOSED = new Result(Outcome.CLOSED, null);

        static Result send(Object frame) {
            return new Result(Outcome.SEND, frame);
        }
    }

    /** The limits that make a client "slow". */
    public record Limits(int maxPendingSymbols, int maxControlFrames, long maxStallNanos, long maxConflations) {
    }

    private final Limits limits;
    /** Turns the drained quotes into one frame (the shared frame when there is only one). */
    private final Function<List<PendingQuote>, Object> batchEncoder;
    private final LongSupplier nanoClock;
    /**
     * Acks, errors, pongs as frames; snapshots as {@link PendingQuote}, checked against the symbol's last sent seq
     * when they leave.
     */
    private final ArrayDeque<Object> control = new ArrayDeque<>();
    /** One slot per symbol this connection was sent or holds: one lookup per delivery finds both pending and mark. */
    private final HashMap<String, SymbolSlot> symbols = new HashMap<>();
    /** Slots with a pending quote, in the order they became pending (the batch order). */
    private final ArrayList<SymbolSlot> pending = new ArrayList<>();
    private boolean inFlight;
    private long inFlightSince;
    private long conflationsSinceCaughtUp;
    private long conflations;
    private boolean slow;

    public ClientQueue(Limits limits, Function<List<PendingQuote>, Object> batchEncoder, LongSupplier nanoClock) {
        this.limits = limits;
        this.batchEncoder = batchEncoder;
        this.nanoClock = nanoClock;
    }

    public synchronized Result offerControl(Object frame) {
        if (slow) {
            return Result.CLOSED;
        }
        if (!inFlight) {
            return startSending(frame);
        }
        if (control.size() >= limits.maxControlFrames() || stalled()) {
            return markSlow();
        }
        control.add(frame);
        return Result.QUEUED;
    }

    public synchronized Result offerQuote(PendingQuote quote) {
        if (slow) {
            return Result.CLOSED;
        }
        SymbolSlot slot = slotOf(quote.symbol());
        long seq = seqOf(quote);
        if (seq != NO_SEQ && seq <= slot.lastSent) {
            return Result.STALE;
        }
        if (!inFlight) {
            slot.lastSent = Math.max(slot.lastSent, seq);
            return startSending(quote.frame());
        }
        if (stalled()) {
            return markSlow();
        }
        PendingQuote previous = slot.waiting;
        if (previous == null) {
            if (pending.size() >= limits.maxPendingSymbols()) {
                return markSlow();
            }
            slot.waiting = quote;
            pending.add(slot);
            return Result.QUEUED;
        }
        if (isOlder(quote.quote(), previous.quote())) {
            return Result.STALE;
        }
        slot.waiting = quote;
        conflations++;
        if (++conflationsSinceCaughtUp > limits.maxConflations()) {
            return markSlow();
        }
        return Result.CONFLATED;
    }

    /**
     * The answer to a subscribe: the latest value as a control frame (after the ack, before pending live quotes),
     * unless this connection was already sent that seq or a newer one; then it is dropped, also if it is still
     * queued when a newer live quote leaves.
     */
    public synchronized Result offerSnapshot(PendingQuote snapshot) {
        if (slow) {
            return Result.CLOSED;
        }
        if (!inFlight) {
            return markSent(snapshot) ? startSending(snapshot.frame()) : Result.STALE;
        }
        if (control.size() >= limits.maxControlFrames() || stalled()) {
            return markSlow();
        }
        control.add(snapshot);
        return Result.QUEUED;
    }

    /** True when this connection was already sent (or said it holds) {@code seq} or a newer one of {@code symbol}. */
    public synchronized boolean alreadySent(String symbol, Long seq) {
        SymbolSlot slot = symbols.get(symbol);
        return slot != null && seq != null && seq <= slot.lastSent;
    }

    /**
     * The client says it holds {@code seq} of {@code symbol} (a subscribe's {@code since}): nothing at or below it is
     * sent. The mark only rises, so a {@code since} older than what this connection already sent repeats nothing.
     */
    public synchronized void holds(String symbol, long seq) {
        SymbolSlot slot = slotOf(symbol);
        slot.lastSent = Math.max(slot.lastSent, seq);
    }

    /** An unsubscribe: the symbols' pending quotes and marks go (a later subscribe starts over with a snapshot). */
    public synchronized void forget(Collection<String> unsubscribed) {
        for (String symbol : unsubscribed) {
            SymbolSlot slot = symbols.remove(symbol);
            if (slot != null && slot.waiting != null) {
                slot.waiting = null;
                pending.remove(slot);
            }
        }
    }

    /** The frame in flight was written (or failed); returns the next frame to send, or null when idle. */
    public synchronized Object completed() {
        if (slow) {
            inFlight = false;
            return null;
        }
        Object next = nextControl();
        if (next == null && !pending.isEmpty()) {
            List<PendingQuote> batch = new ArrayList<>(pending.size());
            for (SymbolSlot slot : pending) {
                PendingQuote p = slot.waiting;
                slot.waiting = null;
                // a snapshot of this seq or a newer one left from the control FIFO after this quote was queued
                if (markSent(slot, p)) {
                    batch.add(p);
                }
            }
            pending.clear();
            if (!batch.isEmpty()) {
                next = batchEncoder.apply(batch);
            }
        }
        if (next == null) {
            inFlight = false;
            conflationsSinceCaughtUp = 0;
            return null;
        }
        inFlightSince = nanoClock.getAsLong();
        return next;
    }

    /** The next control frame; snapshots the connection has meanwhile been sent (or told it holds) are skipped. */
    private Object nextControl() {
        Object next;
        while ((next = control.poll()) instanceof PendingQuote snapshot) {
            if (markSent(snapshot)) {
                return snapshot.frame();
            }
        }
        return next;
    }

    private boolean markSent(PendingQuote quote) {
        return markSent(slotOf(quote.symbol()), quote);
    }

    private SymbolSlot slotOf(String symbol) {
        return symbols.computeIfAbsent(symbol, k -> new SymbolSlot());
    }

    /** Raises the symbol's mark to the quote's seq; false (send nothing) when the mark is already there. */
    private static boolean markSent(SymbolSlot slot, PendingQuote quote) {
        long seq = seqOf(quote);
        if (seq == NO_SEQ) {
            return true;
        }
        if (seq <= slot.lastSent) {
            return false;
        }
        slot.lastSent = seq;
        return true;
    }

    private static long seqOf(PendingQuote quote) {
        StockQuote q = quote.quote();
        return q == null || q.seq() == null ? NO_SEQ : q.seq();
    }

    /** True when a write has been outstanding longer than the stall limit (checked by the heartbeat sweep too). */
    public synchronized boolean stalled() {
        return inFlight && nanoClock.getAsLong() - inFlightSince > limits.maxStallNanos();
    }

    public synchronized Result checkStall() {
        if (slow) {
            return Result.CLOSED;
        }
        return stalled() ? markSlow() : Result.QUEUED;
    }

    /** Frames waiting (control + pending symbols), not counting the one in flight. */
    public synchronized int size() {
        return control.size() + pending.size();
    }

    synchronized int pendingSymbols() {
        return pending.size();
    }

    public synchronized long conflations() {
        return conflations;
    }

    public synchronized boolean inFlight() {
        return inFlight;
    }

    synchronized boolean isSlow() {
        return slow;
    }

    /** Drops every waiting frame: the connection is going away (the seq marks stay, so nothing can repeat meanwhile). */
    public synchronized void clear() {
        control.clear();
        dropPending();
    }

    private Result startSending(Object frame) {
        inFlight = true;
        inFlightSince = nanoClock.getAsLong();
        return Result.send(frame);
    }

    private Result markSlow() {
        slow = true;
        control.clear();
        dropPending();
        return Result.SLOW;
    }

    private void dropPending() {
        for (SymbolSlot slot : pending) {
            slot.waiting = null;
        }
        pending.clear();
    }

    private static boolean isOlder(StockQuote candidate, StockQuote held) {
        if (candidate == null || held == null) {
            return false;
        }
        if (candidate.seq() != null && held.seq() != null) {
            return candidate.seq() < held.seq();
        }
        return candidate.timestamp() != null && held.timestamp() != null && candidate.timestamp().isBefore(held.timestamp());
    }
}
