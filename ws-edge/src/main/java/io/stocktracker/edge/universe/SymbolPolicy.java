package io.stocktracker.edge.universe;

import java.time.Duration;

/**
 * Which symbols the edge serves and how many at once.
 *
 * @param universeCheck         subscriptions and REST look-ups must name a symbol of symbols.universe (SYMBOL_UNIVERSE_CHECK)
 * @param maxActivePerEdge      distinct symbols this edge's clients may hold at once (SYMBOL_MAX_ACTIVE_PER_EDGE)
 * @param maxActiveCluster      distinct symbols all edges together may hold, counted over the Redis active-symbols sets
 *                              (SYMBOL_MAX_ACTIVE_CLUSTER)
 * @param clusterCheckTimeout   how long a subscribe to a symbol new to this edge waits for that count; past it only the
 *                              per-edge cap applies (SYMBOL_CLUSTER_CHECK_TIMEOUT_MS)
 * @param idleEviction          a cached symbol nobody here subscribes to and no update touched for this long leaves the
 *                              cache and /api/symbols (SYMBOL_IDLE_EVICT_MS)
 */
public record SymbolPolicy(boolean universeCheck, int maxActivePerEdge, int maxActiveCluster, Duration clusterCheckTimeout,
                           Duration idleEviction) {
}
