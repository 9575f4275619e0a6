package io.stocktracker.edge.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocktracker.schemas.model.StockQuote;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LatestValueCacheTest {
    private static final Instant T0 = Instant.parse("2024-01-10T10:30:00Z");

    static StockQuote quote(String symbol, Long seq, double price, Instant timestamp) {
        return new StockQuote(symbol, price, null, null, null, null, null, null, null, timestamp, "Simulated", seq, null, null);
    }

    @Test
    void acceptsTheFirstQuoteOfASymbolAndOnlyHigherSeqAfterwards() {
        LatestValueCache cache = new LatestValueCache();
        assertThat(cache.offer(quote("AAPL", 5L, 100, T0))).isTrue();
        assertThat(cache.offer(quote("AAPL", 5L, 101, T0.plusSeconds(1)))).as("same seq is a duplicate").isFalse();
        assertThat(cache.offer(quote("AAPL", 4L, 102, T0.plusSeconds(2)))).as("older seq").isFalse();
        assertThat(cache.get("AAPL")).get().extracting(StockQuote::price).isEqualTo(100.0);
        assertThat(cache.offer(quote("AAPL", 6L, 103, T0))).as("seq wins over timestamp").isTrue();
        assertThat(cache.get("AAPL")).get().extracting(StockQuote::seq).isEqualTo(6L);
    }

    @Test
    void aTombstoneRemovesTheSymbolUnlessTheQuoteHeldWasProcessedAfterIt() {
        LatestValueCache cache = new LatestValueCache();
        StockQuote old = new StockQuote("GONE", 10, null, null, null, null, null, null, null, T0, "Simulated", 5L, T0, T0);
        cache.offer(old);
        assertThat(cache.remove("GONE", T0.plusSeconds(60))).isTrue();
        assertThat(cache.get("GONE")).isEmpty();
        assertThat(cache.symbols()).doesNotContain("GONE");
        assertThat(cache.offer(new StockQuote("GONE", 11, null, null, null, null, null, null, null, T0.plusSeconds(120), "Simulated",
                9L, T0.plusSeconds(120), T0.plusSeconds(120)))).as("it comes back with its next quote").isTrue();
        // a reader behind the live stream (bootstrap, catch-up) meets the old tombstone after the symbol came back
        assertThat(cache.remove("GONE", T0.plusSeconds(60))).isFalse();
        assertThat(cache.get("GONE")).isPresent();
        assertThat(cache.remove("NEVER", T0)).isFalse();
    }

    @Test
    void aQuoteWrittenBeforeTheTombstoneButArrivingAfterItDoesNotBringTheSymbolBack() {
        LatestValueCache cache = new LatestValueCache();
        StockQuote old = new StockQuote("LATE", 10, null, null, null, null, null, null, null, T0, "Simulated", 5L, T0, T0);
        assertThat(cache.remove("LATE", T0.plusSeconds(60))).as("nothing held yet").isFalse();
        assertThat(cache.offer(old)).as("the relayed quote coming back from Redis after the tombstone").isFalse();
        assertThat(cache.get("LATE")).isEmpty();
        StockQuote fresh = new StockQuote("LATE", 11, null, null, null, null, null, null, null, T0, "Simulated", 6L, T0,
                T0.plusSeconds(61));
        assertThat(cache.offer(fresh)).isTrue();
        assertThat(cache.evictIdle(java.time.Duration.ZERO, s -> true)).isEmpty();
    }

    @Test
    void symbolsAreIndependent() {
        LatestValueCache cache = new LatestValueCache();
        assertThat(cache.offer(quote("AAPL", 9L, 1, T0))).isTrue();
        assertThat(cache.offer(quote("MSFT", 1L, 1, T0))).isTrue();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.symbols()).containsExactlyInAnyOrder("AAPL", "MSFT");
    }

    @Test
    void withoutSeqANewerTimestampIsRequired() {
        LatestValueCache cache = new LatestValueCache();
        assertThat(cache.offer(quote("IBM", null, 1, T0))).isTrue();
        assertThat(cache.offer(quote("IBM", null, 2, T0))).as("same timestamp").isFalse();
        assertThat(cache.offer(quote("IBM", null, 3, T0.minusSeconds(1)))).isFalse();
        assertThat(cache.offer(quote("IBM", null, 4, T0.plusMillis(1)))).isTrue();
        // mixed: one side without seq falls back to the timestamp rule
        assertThat(cache.offer(quote("IBM", 1L, 5, T0))).isFalse();
        assertThat(cache.offer(quote("IBM", 1L, 5, T0.plusSeconds(5)))).isTrue();
    }

    @Test
    void quotesThatCannotBeOrderedAreOnlyAcceptedWhenDifferent() {
        LatestValueCache cache = new LatestValueCache();
        StockQuote bare = quote("X", null, 1, null);
        assertThat(cache.offer(bare)).isTrue();
        assertThat(cache.offer(bare)).as("a redelivery").isFalse();
        assertThat(cache.offer(quote("X", null, 2, null))).isTrue();
        assertThat(cache.offer(quote("X", null, 3, T0))).as("an orderable one replaces an unorderable one").isTrue();
        assertThat(cache.offer(quote("X", null, 4, null))).as("and is not replaced by one").isFalse();
    }

    @Test
    void refusesQuotesWithoutSymbol() {
        LatestValueCache cache = new LatestValueCache();
        assertThat(cache.offer(null)).isFalse();
        assertThat(cache.offer(quote(null, 1L, 1, T0))).isFalse();
        assertThat(cache.offer(quote("", 1L, 1, T0))).isFalse();
        assertThat(cache.size()).isZero();
        assertThat(cache.get(null)).isEmpty();
    }

    @Test
    void snapshotIsAnImmutableCopy() {
        LatestValueCache cache = new LatestValueCache();
        cache.offer(quote("AAPL", 1L, 1, T0));
        var snapshot = cache.snapshot();
        cache.offer(quote("AAPL", 2L, 2, T0));
        assertThat(snapshot.get("AAPL").seq()).isEqualTo(1L);
        assertThatThrownBy(() -> snapshot.put("MSFT", quote("MSFT", 1L, 1, T0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void concurrentOffersAcceptEachSeqExactlyOnce() throws Exception {
        LatestValueCache cache = new LatestValueCache();
        AtomicInteger accepted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                for (long seq = 1; seq <= 5000; seq++) {
                    if (cache.offer(quote("AAPL", seq, seq, T0))) {
                        accepted.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cache.get("AAPL")).get().extracting(StockQuote::seq).isEqualTo(5000L);
        assertThat(accepted.get()).isBetween(5000 / 4, 5000); // never more than one acceptance per seq
    }
}
