package io.stocktracker.edge;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stocktracker.edge.broker.Broker;
import io.stocktracker.edge.fanout.BatchEncoder;
import io.stocktracker.edge.fanout.BroadcastEngine;
import io.stocktracker.edge.security.ConnectionLimiter;
import io.stocktracker.edge.security.UserAccess;
import io.stocktracker.edge.session.ConnectionManager;
import io.stocktracker.edge.subscription.SubscriptionManager;

/**
 * The edge below HTTP, wired once and in one direction (broker <- subscriptions <- connections <- fan-out): what
 * {@link EdgeApp} serves. Tests assemble it themselves to reach the parts they assert on.
 */
public record EdgeParts(EdgeConfig config, PrometheusMeterRegistry registry, EdgeMetrics metrics, Broker broker,
                        SubscriptionManager subscriptions, ConnectionLimiter limiter, UserAccess access,
                        ConnectionManager connections, BroadcastEngine broadcast) {

    /** @param registry where the edge's meters go, the broker's among them */
    public static EdgeParts assemble(EdgeConfig config, PrometheusMeterRegistry registry, Broker b) {
        EdgeMetrics metrics = new EdgeMetrics(registry);
        SubscriptionManager subscriptions = new SubscriptionManager(b::interestChanged);
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp(),
                config.ipv6ConnectionPrefix());
        UserAccess access = UserAccess.create(config, registry);
        ConnectionManager connections = new ConnectionManager(config, metrics, subscriptions, limiter, access,
                new BatchEncoder(metrics));
        BroadcastEngine broadcast = new BroadcastEngine(connections, subscriptions, metrics, b.latest()::get);
        return new EdgeParts(config, registry, metrics, b, subscriptions, limiter, access, connections, broadcast);
    }
}
