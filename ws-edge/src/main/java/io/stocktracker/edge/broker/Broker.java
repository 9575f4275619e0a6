package io.stocktracker.edge.broker;

import io.stocktracker.edge.bridge.LatestValueCache;
import io.stocktracker.edge.security.UserQuotas;
import io.stocktracker.edge.universe.SymbolAdmission;
import io.stocktracker.edge.universe.SymbolUniverse;
import io.stocktracker.schemas.redis.SubscriptionChange;
import java.time.Duration;
import java.util.Collection;

/**
 * Where the edge's updates come from and where its interest goes: everything the fan-out needs from the world
 * below it. The Kafka + Redis bridge is one implementation; the tests of protocol, fan-out, slow consumers and
 * auth run on an in-memory one, so they need neither Kafka nor Redis.
 */
public interface Broker extends AutoCloseable {

    /** Starts delivering updates and commands to {@code handler}; returns at once ({@link #health()} tells when ready). */
    void run(BrokerEventHandler handler);

    /** The latest quote per symbol, kept by the broker before it hands an update over (snapshots, REST, resume). */
    LatestValueCache latest();

    /** This edge's interest changed: 0 -> 1 ({@code subscribe}) or 1 -> 0 ({@code unsubscribe}) subscribers. */
    void interestChanged(SubscriptionChange.Action action, Collection<String> symbols);

    /** The distinct symbols all edges hold, as far as this broker can tell. */
    SymbolAdmission.ClusterView clusterSymbols(Duration timeout);

    /** Keeps {@code universe} up to date with the listed symbols. */
    void followUniverse(SymbolUniverse universe);

    /** Shares this edge's per-user connection counts with the other edges (MAX_CONNECTIONS_PER_USER across edges). */
    void shareUserCounts(UserQuotas users);

    Health health();

    @Override
    void close();

    /** Readiness of the broker's parts. */
    record Health(boolean cacheReady, boolean feedAssigned, boolean pubSubUp) {
    }
}
