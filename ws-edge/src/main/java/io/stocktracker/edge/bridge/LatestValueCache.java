package io.stocktracker.edge.bridge;

import io.stocktracker.schemas.model.StockQuote;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Thread-safe symbol -> latest {@link StockQuote}. The single "drop {@code seq <= last seen}" rule of the
 * edge lives in {@link #offer}: every path that can bring a quote (bootstrap, Redis, the edge's own Kafka
 * consumer while Redis is down, a replay after a rebalance) goes through it, so each new value is
 * accepted once and every duplicate or older value is refused.
 */
public final class LatestValueCache {
    private final ConcurrentHashMap<String, StockQuote> latest = new ConcurrentHashMap<>();
    /** symbol -> System.nanoTime() of its last accepted quote, for idle eviction. */
    private final ConcurrentHashMap<String, Long> touched = new ConcurrentHashMap<>();
    /**
     * symbol -> its last tombstone on quotes.latest. A quote written before it can still arrive afterwards (the relay
     * publishes the quote on Redis and meets the tombstone before the quote comes back), and must not bring the symbol
     * back; kept until an idle sweep finds it older than the idle period.
     */
    private final ConcurrentHashMap<String, Removal> removed = new ConcurrentHashMap<>();

    private record Removal(java.time.Instant evictedAt, long recordedNanos) {}

    /**
     * Stores {@code quote} and returns true iff it is newer than what is held for its symbol: a higher
     * {@code seq} when both carry one; otherwise (a producer without sequence numbers) a strictly later
     * {@code timestamp}. A quote without a symbol is refused.
     */
    public boolean offer(StockQuote quote) {
        if (quote == null || quote.symbol() == null || quote.symbol().isEmpty()) {
            return false;
        }
        boolean[] accepted = {false};
        latest.compute(quote.symbol(), (symbol, held) -> {
            if (held == null && writtenBeforeRemoval(quote)) {
                return null;
            }
            if (held == null || isNewer(quote, held)) {
                removed.remove(symbol);
                accepted[0] = true;
                touched.put(symbol, System.nanoTime());
                return quote;
            }
            return held;
        });
        return accepted[0];
    }

    private boolean writtenBeforeRemoval(StockQuote quote) {
        Removal r = removed.get(quote.symbol());
        return r != null && quote.processedAt() != null && quote.processedAt().toEpochMilli() <= r.evictedAt().toEpochMilli();
    }

    /** The ordering rule, exposed for tests and for callers that need to compare without storing. */
    static boolean isNewer(StockQuote candidate, StockQuote held) {
        if (candidate.seq() != null && held.seq() != null) {
            return candidate.seq() > held.seq();
        }
        if (candidate.timestamp() != null && held.timestamp() != null) {
            return candidate.timestamp().isAfter(held.timestamp());
        }
        if (candidate.timestamp() != null) {
            return true; // the held one cannot be ordered at all: prefer the one that can
        }
        // neither can be ordered: only a different value counts as new, so a redelivery stays a duplicate
        return held.timestamp() == null && !candidate.equals(held);
    }

    /**
     * Removes every symbol no quote touched for {@code idle} and {@code wanted} does not keep (someone here subscribes
     * to it); returns what was removed. A quote arriving later brings the symbol back.
     */
    public java.util.List<String> evictIdle(java.time.Duration idle, java.util.function.Predicate<String> wanted) {
        long now = System.nanoTime();
        removed.values().removeIf(r -> now - r.recordedNanos() >= idle.toNanos());
        java.util.List<String> evicted = new java.util.ArrayList<>();
        for (String symbol : latest.keySet()) {
            if (wanted.test(symbol)) {
                continue;
            }
            latest.computeIfPresent(symbol, (k, held) -> {
                Long at = touched.get(k);
                if (at != null && now - at < idle.toNanos()) {
                    return held;
                }
                touched.remove(k);
                evicted.add(k);
                return null;
            });
        }
        return evicted;
    }

    /**
     * Drops {@code symbol} because quotes.latest says it was evicted at {@code evictedAt}, unless the quote held was
     * processed after that: then the symbol came back and a reader that is behind (bootstrap, catch-up) met the old
     * tombstone. Returns whether it was removed.
     */
    public boolean remove(String symbol, java.time.Instant evictedAt) {
        if (symbol == null || evictedAt == null) {
            return false;
        }
        boolean[] dropped = {false};
        latest.compute(symbol, (k, held) -> {
            // a record timestamp has millisecond resolution: compare at that resolution
            if (held != null && held.processedAt() != null && held.processedAt().toEpochMilli() > evictedAt.toEpochMilli()) {
                return held;
            }
            removed.merge(k, new Removal(evictedAt, System.nanoTime()),
                    (a, b) -> a.evictedAt().isAfter(b.evictedAt()) ? a : b);
            touched.remove(k);
            dropped[0] = held != null;
            return null;
        });
        return dropped[0];
    }

    public Optional<StockQuote> get(String symbol) {
        return symbol == null ? Optional.empty() : Optional.ofNullable(latest.get(symbol));
    }

    /** An immutable copy, consistent per symbol. */
    public Map<String, StockQuote> snapshot() {
        return Map.copyOf(latest);
    }

    public Set<String> symbols() {
        return Set.copyOf(latest.keySet());
    }

    public int size() {
        return latest.size();
    }
}
