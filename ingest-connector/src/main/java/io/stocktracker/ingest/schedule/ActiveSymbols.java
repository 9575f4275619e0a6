package io.stocktracker.ingest.schedule;

import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.redis.SubscriptionChange;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What to fetch: the pinned INGEST_SYMBOLS plus every symbol some edge is interested in, counted per
 * edge. Each edge's interest is a set (edges announce 0->1 and 1->0 transitions), so two edges on AAPL
 * and one unsubscribing leaves AAPL active with one interested edge.
 *
 * <p>Two inputs feed it: live {@link SubscriptionChange}s from pub/sub, and periodic snapshots of the
 * per-edge Redis sets (which expire with a heartbeat TTL, so a dead edge's interest goes away). A
 * snapshot replaces an edge's set unless that edge sent a live change within {@code grace} before the
 * snapshot was taken: the live message is then the newer truth.
 *
 * <p>Only listed symbols (the symbol universe) count as demand: a symbol some other writer of the Redis contract
 * announced, or one that left the universe, is held but never fetched.
 */
public final class ActiveSymbols {
    private final Set<String> pinned;
    private final Duration grace;
    private final Predicate<String> listed;
    private final Map<String, EdgeInterest> edges = new HashMap<>();

    private static final class EdgeInterest {
        final Set<String> symbols = new HashSet<>();
        Instant lastLiveChange = Instant.MIN;
    }

    public ActiveSymbols(Collection<String> pinned, Duration grace, Predicate<String> listed) {
        this.pinned = Set.copyOf(normalize(pinned));
        this.grace = grace;
        this.listed = listed;
    }

    public Set<String> pinned() {
        return pinned;
    }

    public synchronized void apply(SubscriptionChange change, Instant now) {
        if (change == null || change.action() == null || change.edgeId() == null || change.symbols() == null) {
            return;
        }
        EdgeInterest edge = edges.computeIfAbsent(change.edgeId(), id -> new EdgeInterest());
        edge.lastLiveChange = now;
        Set<String> symbols = normalize(change.symbols());
        switch (change.action()) {
            case subscribe -> edge.symbols.addAll(symbols);
            case unsubscribe -> edge.symbols.removeAll(symbols);
        }
        if (edge.symbols.isEmpty()) {
            edges.remove(change.edgeId());
        }
    }

    /** Replaces every edge's interest by {@code snapshot} (edgeId -> symbols) read at {@code takenAt}. */
    public synchronized void replaceAll(Map<String, ? extends Collection<String>> snapshot, Instant takenAt) {
        Instant liveCutoff = takenAt.minus(grace);
        Set<String> ids = new HashSet<>(edges.keySet());
        ids.addAll(snapshot.keySet());
        for (String id : ids) {
            EdgeInterest current = edges.get(id);
            if (current != null && current.lastLiveChange.isAfter(liveCutoff)) {
                continue;
            }
            Collection<String> symbols = snapshot.get(id);
            Set<String> normalized = symbols == null ? Set.of() : normalize(symbols);
            if (normalized.isEmpty()) {
                edges.remove(id);
            } else {
                EdgeInterest replaced = new EdgeInterest();
                replaced.symbols.addAll(normalized);
                edges.put(id, replaced);
            }
        }
    }

    /**
     * Symbol -> demand: the number of edges interested in it, plus one when pinned. Sorted by symbol so
     * iteration order is deterministic.
     */
    public synchronized Map<String, Integer> demand() {
        Map<String, Integer> demand = new TreeMap<>();
        pinned.forEach(s -> demand.merge(s, 1, Integer::sum));
        edges.values().forEach(e -> e.symbols.stream().filter(listed).forEach(s -> demand.merge(s, 1, Integer::sum)));
        return demand;
    }

    public synchronized Set<String> symbols() {
        return demand().keySet();
    }

    public synchronized Set<String> edgeIds() {
        return Set.copyOf(edges.keySet());
    }

    private static Set<String> normalize(Collection<String> raw) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : raw) {
            Symbols.normalize(s).ifPresent(out::add);
        }
        return out;
    }

    /** For logs. */
    @Override
    public synchronized String toString() {
        return "ActiveSymbols" + List.copyOf(demand().entrySet());
    }
}
