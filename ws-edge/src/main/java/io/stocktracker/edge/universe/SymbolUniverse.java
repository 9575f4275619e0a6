package io.stocktracker.edge.universe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The listed symbols, as read from {@code symbols.universe}: what a client may subscribe to or look up. Filled
 * by the bridge's universe reader; {@link #ready()} once the topic was read up to its end at start.
 */
public final class SymbolUniverse {
    private final Set<String> listed = ConcurrentHashMap.newKeySet();
    private volatile boolean ready;

    public boolean contains(String symbol) {
        return symbol != null && listed.contains(symbol);
    }

    public boolean ready() {
        return ready;
    }

    public int size() {
        return listed.size();
    }

    /** A record of the topic: listed, or (null value, a tombstone) no longer listed. */
    public void apply(String symbol, boolean isListed) {
        if (isListed) {
            listed.add(symbol);
        } else {
            listed.remove(symbol);
        }
    }

    public void markReady() {
        ready = true;
    }
}
