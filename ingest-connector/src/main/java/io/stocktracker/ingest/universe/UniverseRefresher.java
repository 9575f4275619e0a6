package io.stocktracker.ingest.universe;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link SymbolUniverse} and {@code symbols.universe} equal to the union of the listings: fetched once at
 * start, then every {@code refresh} (a day: listings change slowly and a real provider's listing is a paid
 * request), sooner ({@code retry}) while a listing could not be had. A listing that fails keeps what it listed
 * last, read back from the topic after a restart, so a provider outage never empties the universe.
 */
public final class UniverseRefresher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UniverseRefresher.class);

    private final List<Listing> listings;
    private final SymbolUniverse universe;
    private final UniverseTopic topic;
    private final Duration refresh;
    private final Duration retry;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ingest-universe");
        t.setDaemon(true);
        return t;
    });
    /** Listing name -> its last good symbols. */
    private final Map<String, Set<String>> lastGood = new HashMap<>();
    /** What the topic holds, as far as this instance knows; null until read. */
    private Map<String, String> published;

    /** @param listings in priority order: a symbol listed twice is attributed to the first */
    public UniverseRefresher(List<Listing> listings, SymbolUniverse universe, String bootstrapServers, Duration refresh,
                             Duration retry) {
        this.listings = List.copyOf(listings);
        this.universe = universe;
        this.topic = new UniverseTopic(bootstrapServers);
        this.refresh = refresh;
        this.retry = retry;
    }

    public void start() {
        executor.execute(this::runAndReschedule);
    }

    private void runAndReschedule() {
        boolean complete = false;
        try {
            complete = refreshOnce();
        } catch (Exception e) {
            log.warn("symbol universe refresh failed ({}); retrying in {}", e.toString(), retry);
        }
        if (!executor.isShutdown()) {
            executor.schedule(this::runAndReschedule, (complete ? refresh : retry).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One refresh; true when every listing answered. */
    boolean refreshOnce() throws Exception {
        if (published == null) {
            published = topic.read(Duration.ofSeconds(30));
            published.forEach((symbol, source) -> lastGood.computeIfAbsent(source, k -> new HashSet<>()).add(symbol));
        }
        boolean complete = true;
        Map<String, String> next = new LinkedHashMap<>();
        for (Listing listing : listings) {
            var fetched = listing.fetch();
            if (fetched.isPresent()) {
                lastGood.put(listing.name(), fetched.get());
            } else {
                complete = false;
            }
            lastGood.getOrDefault(listing.name(), Set.of()).forEach(s -> next.putIfAbsent(s, listing.name()));
        }
        // the union is in memory before it is published: ingest filters by it even while the broker is away
        universe.replace(next);
        Map<String, String> upserts = new HashMap<>();
        next.forEach((symbol, source) -> {
            if (!source.equals(published.get(symbol))) {
                upserts.put(symbol, source);
            }
        });
        Set<String> removed = new HashSet<>(published.keySet());
        removed.removeAll(next.keySet());
        topic.publish(upserts, removed);
        published = next;
        log.info("symbol universe: {} symbols ({} new or changed, {} removed){}", next.size(), upserts.size(), removed.size(),
                complete ? "" : "; a listing was not available, retrying in " + retry);
        return complete;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        topic.close();
    }
}
