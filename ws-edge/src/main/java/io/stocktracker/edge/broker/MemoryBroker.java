package io.stocktracker.edge.broker;

import io.stocktracker.edge.bridge.LatestValueCache;
import io.stocktracker.edge.security.UserQuotas;
import io.stocktracker.edge.universe.SymbolAdmission;
import io.stocktracker.edge.universe.SymbolUniverse;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.redis.SubscriptionChange;
import io.stocktracker.schemas.ws.PriceUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * A {@link Broker} in one JVM: what a test publishes reaches this edge's fan-out the way the bridge hands it over
 * (latest-value cache first, a quote at or below the cached seq dropped, the price_update frame serialized once).
 * There are no other edges: interest goes nowhere, and the per-user cap and the cluster symbol count are local.
 */
public final class MemoryBroker implements Broker {
    private final LatestValueCache cache = new LatestValueCache();
    private final Object lock = new Object();
    private volatile BrokerEventHandler handler;

    @Override
    public void run(BrokerEventHandler handler) {
        this.handler = handler;
    }

    /** As the bridge delivers a quote received on market-data:updates; false when it was not new. */
    public boolean publish(StockQuote quote) {
        synchronized (lock) { // one delivery at a time, in seq order per symbol, as the bridge's Delivery does
            if (!cache.offer(quote)) {
                return false;
            }
            BrokerEventHandler h = handler;
            if (h != null) {
                h.onQuote(quote, JsonCodec.toBytes(PriceUpdate.of(quote, Instant.now())));
            }
            return true;
        }
    }

    /** As a market-data:control command addressed to this edge. */
    public void control(ControlMessage message) {
        BrokerEventHandler h = handler;
        if (h != null) {
            h.onControl(message);
        }
    }

    @Override
    public LatestValueCache latest() {
        return cache;
    }

    @Override
    public void interestChanged(SubscriptionChange.Action action, Collection<String> symbols) {
        // one edge: nobody else to tell
    }

    @Override
    public SymbolAdmission.ClusterView clusterSymbols(Duration timeout) {
        return candidates -> Optional.empty();
    }

    @Override
    public void followUniverse(SymbolUniverse universe) {
        universe.markReady();
    }

    @Override
    public void shareUserCounts(UserQuotas users) {
    }

    @Override
    public Health health() {
        return new Health(handler != null, handler != null, handler != null);
    }

    @Override
    public void close() {
        handler = null;
    }
}
