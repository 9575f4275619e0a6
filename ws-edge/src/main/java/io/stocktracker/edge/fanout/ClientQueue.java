package io.stocktracker.edge.fanout;

import io.stocktracker.schemas.model.StockQuote;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One connection's outbound state, with no I/O: at most one frame in flight; control frames (acks,
 * errors, pongs) wait in a short FIFO; quotes wait in a map symbol -> latest, so a client that cannot keep
 * up gets the newest value per symbol instead of an ever-growing queue (conflation). When several quotes
 * wait, they leave as one batch. The caller sends what a method returns and calls {@link #completed()}
 * when the transport's write callback fires.
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
        private volatile String batchEntryJson;

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

        /** {@code {"symbol":..,"data":{..}}}, computed on first use (a benign race at worst encodes it twice). */
        public String batchEntryJson(java.util.function.Function<PendingQuote, String> encoder) {
            String e = batchEntryJson;
            if (e == null) {
                e = encoder.apply(this);
                batchEntryJson = e;
            }
            return e;
        }
    }

    public enum Outcome {
        /** Send the returned frame now. */
        SEND,
        /** Queued behind the frame in flight. */
        QUEUED,
        /** Replaced an older pending value for the same symbol. */
        CONFLATED,
        /** Older than what is already pending; dropped. */
        STALE,
        /** Past the slow-consumer limit: the caller must disconnect this client. */
        SLOW,
        /** The client was already declared slow; ignore. */
        CLOSED
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
    private final ArrayDeque<Object> control = new ArrayDeque<>();
    private final LinkedHashMap<String, PendingQuote> pending = new LinkedHashMap<>();
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
        if (!inFlight) {
            return startSending(quote.frame());
        }
        if (stalled()) {
            return markSlow();
        }
        PendingQuote previous = pending.get(quote.symbol());
        if (previous == null) {
            if (pending.size() >= limits.maxPendingSymbols()) {
                return markSlow();
            }
            pending.put(quote.symbol(), quote);
            return Result.QUEUED;
        }
        if (isOlder(quote.quote(), previous.quote())) {
            return Result.STALE;
        }
        pending.put(quote.symbol(), quote);
        conflations++;
        if (++conflationsSinceCaughtUp > limits.maxConflations()) {
            return markSlow();
        }
        return Result.CONFLATED;
    }

    /** The frame in flight was written (or failed); returns the next frame to send, or null when idle. */
    public synchronized Object completed() {
        if (slow) {
            inFlight = false;
            return null;
        }
        Object next = control.poll();
        if (next == null && !pending.isEmpty()) {
            List<PendingQuote> batch = new ArrayList<>(pending.values());
            pending.clear();
            next = batchEncoder.apply(batch);
        }
        if (next == null) {
            inFlight = false;
            conflationsSinceCaughtUp = 0;
            return null;
        }
        inFlightSince = nanoClock.getAsLong();
        return next;
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

    public synchronized int pendingSymbols() {
        return pending.size();
    }

    public synchronized long conflations() {
        return conflations;
    }

    public synchronized boolean inFlight() {
        return inFlight;
    }

    public synchronized boolean isSlow() {
        return slow;
    }

    /** Drops everything: the connection is going away. */
    public synchronized void clear() {
        control.clear();
        pending.clear();
    }

    private Result startSending(Object frame) {
        inFlight = true;
        inFlightSince = nanoClock.getAsLong();
        return Result.send(frame);
    }

    private Result markSlow() {
        slow = true;
        control.clear();
        pending.clear();
        return Result.SLOW;
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

    /** For tests and debugging. */
    synchronized Map<String, PendingQuote> pendingView() {
        return Map.copyOf(pending);
    }
}
