package io.stocktracker.edge.subscription;

import io.stocktracker.schemas.redis.SubscriptionChange.Action;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.LoggerFactory;

/**
 * Who is subscribed to what: the seed's two maps. Reads ({@link #getSubscribers}) are lock-free because
 * fan-out calls them per update; writes take one lock so the 0->1 and 1->0 transitions this edge reports
 * to the backend are exact and in order.
 */
public final class SubscriptionManager {
    /** symbol -> clientIds */
    private final Map<String, Set<String>> subscriptions = new ConcurrentHashMap<>();
    /** clientId -> symbols */
    private final Map<String, Set<String>> clientSubscriptions = new ConcurrentHashMap<>();
    private final BiConsumer<Action, Collection<String>> backend;
    private final Object lock = new Object();

    /** @param backend told about this edge's interest transitions (the bridge publishes them) */
    public SubscriptionManager(BiConsumer<Action, Collection<String>> backend) {
        this.backend = backend;
    }

    /** @return the symbols this client did not already hold */
    public List<String> subscribe(String clientId, Collection<String> symbols) {
        List<String> added = new ArrayList<>();
        List<String> firstInterest = new ArrayList<>();
        synchronized (lock) {
            Set<String> mine = clientSubscriptions.computeIfAbsent(clientId, k -> ConcurrentHashMap.newKeySet());
            for (String symbol : symbols) {
                if (mine.add(symbol)) {
                    added.add(symbol);
                    Set<String> subs = subscriptions.computeIfAbsent(symbol, k -> ConcurrentHashMap.newKeySet());
                    if (subs.isEmpty()) {
                        firstInterest.add(symbol);
                    }
                    subs.add(clientId);
                }
            }
            if (mine.isEmpty()) {
                clientSubscriptions.remove(clientId);
            }
            notifyBackend(Action.subscribe, firstInterest);
        }
        return added;
    }

    /** @return the symbols this client actually held and no longer does */
    public List<String> unsubscribe(String clientId, Collection<String> symbols) {
        List<String> removed = new ArrayList<>();
        List<String> lastInterest = new ArrayList<>();
        synchronized (lock) {
            Set<String> mine = clientSubscriptions.get(clientId);
            if (mine == null) {
                return removed;
            }
            for (String symbol : symbols) {
                if (mine.remove(symbol)) {
                    removed.add(symbol);
                    Set<String> subs = subscriptions.get(symbol);
                    if (subs != null) {
                        subs.remove(clientId);
                        if (subs.isEmpty()) {
                            subscriptions.remove(symbol);
                            lastInterest.add(symbol);
                        }
                    }
                }
            }
            if (mine.isEmpty()) {
                clientSubscriptions.remove(clientId);
            }
            notifyBackend(Action.unsubscribe, lastInterest);
        }
        return removed;
    }

    public List<String> unsubscribeAll(String clientId) {
        Set<String> mine = clientSubscriptions.get(clientId);
        return mine == null ? List.of() : unsubscribe(clientId, List.copyOf(mine));
    }

    /** Live view; empty when nobody holds the symbol. */
    public Set<String> getSubscribers(String symbol) {
        Set<String> subs = subscriptions.get(symbol);
        return subs == null ? Set.of() : subs;
    }

    public Set<String> getClientSubscriptions(String clientId) {
        Set<String> mine = clientSubscriptions.get(clientId);
        return mine == null ? Set.of() : Set.copyOf(mine);
    }

    /** Without copying the set: the heartbeat sweep asks this of every connection. */
    public boolean holdsAny(String clientId) {
        Set<String> mine = clientSubscriptions.get(clientId);
        return mine != null && !mine.isEmpty();
    }

    public Set<String> getActiveSymbols() {
        return Set.copyOf(subscriptions.keySet());
    }

    /** Distinct symbols someone on this edge holds. */
    public int activeSymbolCount() {
        return subscriptions.size();
    }

    public int subscriberCount(String symbol) {
        return getSubscribers(symbol).size();
    }

    /** symbol -> subscriber count, for the per-symbol gauge. */
    public Map<String, Integer> subscriberCounts() {
        Map<String, Integer> counts = new java.util.HashMap<>();
        subscriptions.forEach((symbol, subs) -> counts.put(symbol, subs.size()));
        return counts;
    }

    public int totalSubscriptions() {
        int n = 0;
        for (Set<String> s : clientSubscriptions.values()) {
            n += s.size();
        }
        return n;
    }

    /** The seed's hook: tell the backend this edge's interest changed (only on transitions). */
    private void notifyBackend(Action action, Collection<String> symbols) {
        if (symbols.isEmpty()) {
            return;
        }
        try {
            backend.accept(action, List.copyOf(symbols));
        } catch (RuntimeException e) {
            // a backend hiccup must not fail a valid subscribe: the bridge re-announces the full active set on its heartbeat
            LoggerFactory.getLogger(SubscriptionManager.class).warn("could not tell the backend {} {}", action, symbols, e);
        }
    }
}
