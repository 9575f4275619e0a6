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
            if (held == null || isNewer(quote, held)) {
                accepted[0] = true;
                touched.put(symbol, System.nanoTime());
                return quote;
            }
            return held;
        });
        return accepted[0];
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
        boolean[] removed = {false};
        latest.computeIfPresent(symbol, (k, held) -> {
            if (held.processedAt() != null && held.processedAt().isAfter(evictedAt)) {
                return held;
            }
            touched.remove(k);
            removed[0] = true;
            return null;
        });
        return removed[0];
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
