package io.stocktracker.edge.bars;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stocktracker.edge.bridge.BridgeConfig;
import io.stocktracker.edge.session.ConnectionManager;
import io.stocktracker.edge.subscription.SubscriptionManager;
import java.time.Clock;

/** The edge's chart data: the session's bars from {@code quotes.bars.1m} in a bounded store, and their live fan-out. */
public final class Bars implements AutoCloseable {
    private final BarsPolicy policy;
    private final BarStore store;
    private final BarsReader reader;

    private Bars(BarsPolicy policy, BarStore store, BarsReader reader) {
        this.policy = policy;
        this.store = store;
        this.reader = reader;
    }

    public static Bars create(BarsPolicy policy, BridgeConfig bridge, ConnectionManager connections,
                              SubscriptionManager subscriptions, MeterRegistry registry) {
        BarStore store = policy.newStore();
        BarsReader reader = new BarsReader(bridge, policy.session(), store, new BarFanout(connections, subscriptions),
                Clock.systemUTC());
        Gauge.builder("stocktracker.edge.bars.symbols", store, BarStore::symbols)
                .description("symbols whose session bars this edge holds (at most BARS_MAX_SYMBOLS)").register(registry);
        FunctionCounter.builder("stocktracker.edge.bars.symbols.refused", reader, BarsReader::refusedForSymbolLimit)
                .description("bars not kept because the store already held BARS_MAX_SYMBOLS symbols").register(registry);
        FunctionCounter.builder("stocktracker.edge.bars.malformed", reader, BarsReader::malformed)
                .description("records of quotes.bars.1m that were not a 1-minute bar").register(registry);
        return new Bars(policy, store, reader);
    }

    public void start() {
        reader.start();
    }

    public BarStore store() {
        return store;
    }

    public BarSession session() {
        return policy.session();
    }

    /** Whether the session's bars present at start are all loaded. */
    public boolean complete() {
        return reader.complete();
    }

    @Override
    public void close() {
        reader.close();
    }
}
