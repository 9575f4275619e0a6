package io.stocktracker.loadgen.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which symbols each client subscribes to. Client {@code i} takes {@code k} consecutive symbols starting
 * at {@code i * k mod S}, so every symbol gets the same number of subscribers (within one) and the
 * expected deliveries per symbol are known exactly.
 */
public final class SymbolAssignment {
    private final List<String> symbols;
    private final int perClient;
    private final int clients;

    public SymbolAssignment(List<String> symbols, int perClient, int clients) {
        if (perClient < 1 || perClient > symbols.size()) {
            throw new IllegalArgumentException("symbols per client must be 1.." + symbols.size() + ", was " + perClient);
        }
        if (clients < 0) {
            throw new IllegalArgumentException("clients must be >= 0");
        }
        this.symbols = List.copyOf(symbols);
        this.perClient = perClient;
        this.clients = clients;
    }

    public List<String> symbolsFor(int client) {
        if (client < 0 || client >= clients) {
            throw new IndexOutOfBoundsException("client " + client + " of " + clients);
        }
        int s = symbols.size();
        int start = (int) (((long) client * perClient) % s);
        List<String> out = new ArrayList<>(perClient);
        for (int j = 0; j < perClient; j++) {
            out.add(symbols.get((start + j) % s));
        }
        return Collections.unmodifiableList(out);
    }

    /** Symbol -> number of clients subscribed to it, among clients in {@code [from, to)}. */
    public Map<String, Integer> subscriberCounts(int from, int to) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String symbol : symbols) {
            counts.put(symbol, 0);
        }
        for (int c = from; c < to; c++) {
            for (String symbol : symbolsFor(c)) {
                counts.merge(symbol, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Symbol -> number of subscribed clients among those {@code include} accepts. */
    public Map<String, Integer> subscriberCounts(java.util.function.IntPredicate include) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String symbol : symbols) {
            counts.put(symbol, 0);
        }
        for (int c = 0; c < clients; c++) {
            if (include.test(c)) {
                for (String symbol : symbolsFor(c)) {
                    counts.merge(symbol, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    public Map<String, Integer> subscriberCounts() {
        return subscriberCounts(0, clients);
    }

    public List<String> symbols() {
        return symbols;
    }

    public int clients() {
        return clients;
    }
}
