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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link SymbolUniverse} and {@code symbols.universe} equal to the union of the listings: fetched once at
 * start, then every {@code refresh} (a day: listings change slowly and a real provider's listing is a paid
 * request), sooner ({@code retry}) while a listing could not be had. A listing that fails keeps what it listed
 * last, read back from the topic after a restart, so a provider outage never empties the universe.
 *
 * <p>With leader election only the lease holder fetches (a real provider's listing is a paid request): a standby
 * takes the universe from the topic (read at start, and again when it takes over, so it starts from what the
 * previous leader published) and fetches once it leads, at once on a take-over, then on the leader's schedule.
 */
public final class UniverseRefresher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UniverseRefresher.class);

    private final List<Listing> listings;
    private final SymbolUniverse universe;
    private final UniverseTopic topic;
    private final Duration refresh;
    private final Duration retry;
    private final BooleanSupplier leading;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ingest-universe");
        t.setDaemon(true);
        return t;
    });
    /** Listing name -> its last good symbols. */
    private final Map<String, Set<String>> lastGood = new HashMap<>();
    /** What the topic holds, as far as this instance knows; null until read. */
    private Map<String, String> published;
    /** Whether the last run fetched as the leader: a standby that takes over re-reads the topic first. */
    private boolean fetchedLast;
    private ScheduledFuture<?> next;

    /**
     * @param listings in priority order: a symbol listed twice is attributed to the first
     * @param leading  whether this instance may fetch now (always true without leader election)
     */
    public UniverseRefresher(List<Listing> listings, SymbolUniverse universe, String bootstrapServers, Duration refresh,
                             Duration retry, BooleanSupplier leading) {
        this.listings = List.copyOf(listings);
        this.universe = universe;
        this.topic = new UniverseTopic(bootstrapServers);
        this.refresh = refresh;
        this.retry = retry;
        this.leading = leading;
    }

    public void start() {
        executor.execute(() -> runAndReschedule(false));
    }

    /** This instance just took the lease over: refresh now, as the leader, instead of at the next scheduled run. */
    public void tookOver() {
        executor.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
            runAndReschedule(true);
        });
    }

    private void runAndReschedule(boolean takingOver) {
        Duration delay = retry;
        try {
            if (takingOver || leading.getAsBoolean()) {
                delay = refreshOnce() ? refresh : retry;
            } else {
                followLeader();
            }
        } catch (Exception e) {
            log.warn("symbol universe refresh failed ({}); retrying in {}", e.toString(), retry);
        }
        if (!executor.isShutdown()) {
            // a standby checks again every retry period whether it leads (the take-over hook is the fast path)
            next = executor.schedule(() -> runAndReschedule(false), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A standby fetches nothing: it serves what the leader published. */
    private void followLeader() {
        if (published == null || fetchedLast) {
            readPublished();
            universe.replace(published);
            log.info("symbol universe: {} symbols read from {} (standby: the leader fetches the listings)", published.size(),
                    io.stocktracker.schemas.contract.Topics.SYMBOLS_UNIVERSE);
        }
        fetchedLast = false;
    }

    private void readPublished() {
        published = topic.read(Duration.ofSeconds(30));
        lastGood.clear();
        published.forEach((symbol, source) -> lastGood.computeIfAbsent(source, k -> new HashSet<>()).add(symbol));
    }

    /** One refresh as the leader; true when every listing answered. */
    boolean refreshOnce() throws Exception {
        if (published == null || !fetchedLast) {
            // first run, or a take-over: start from what the topic holds (another leader may have changed it)
            readPublished();
        }
        fetchedLast = true;
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
