package io.stocktracker.edge.universe;

import io.stocktracker.edge.bridge.LatestValueCache;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Symbols nobody streams leave the latest-value cache (and so /api/symbols and REST look-ups): a cached symbol
 * without a subscriber on this edge and without an update for SYMBOL_IDLE_EVICT_MS. Ingest stops fetching a symbol
 * once no edge wants it (unless pinned), so "no update" is how this edge sees that no other edge wants it either.
 */
public final class IdleSymbolEviction implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IdleSymbolEviction.class);

    private final LatestValueCache cache;
    private final Predicate<String> subscribedHere;
    private final Duration idle;
    private final ScheduledExecutorService executor;

    public IdleSymbolEviction(LatestValueCache cache, Predicate<String> subscribedHere, Duration idle, String edgeId) {
        this.cache = cache;
        this.subscribedHere = subscribedHere;
        this.idle = idle;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edge-idle-eviction-" + edgeId);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        long every = Math.max(100, Math.min(idle.toMillis() / 4, 60_000));
        executor.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            List<String> evicted = cache.evictIdle(idle, subscribedHere);
            if (!evicted.isEmpty()) {
                log.info("evicted {} idle symbols from the latest-value cache (no subscriber, no update for {})", evicted.size(), idle);
            }
        } catch (RuntimeException e) {
            log.warn("idle symbol eviction failed; the next sweep runs as scheduled", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
