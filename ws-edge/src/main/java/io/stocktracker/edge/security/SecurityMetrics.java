package io.stocktracker.edge.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Token lifetime and per-user limit meters, next to the edge's own ({@code stocktracker_edge_*}). */
public final class SecurityMetrics {
    public final Counter refreshesOk;
    public final Counter refreshesFailed;
    public final Counter expiringNotices;
    public final Counter expiredClosed;
    public final Counter userConnectionRefusals;
    public final Counter userRateRefusals;

    public SecurityMetrics(MeterRegistry registry, UserQuotas users) {
        refreshesOk = Counter.builder("stocktracker.edge.token.refreshes").tag("result", "ok")
                .description("refresh messages that replaced the connection's token").register(registry);
        refreshesFailed = Counter.builder("stocktracker.edge.token.refreshes").tag("result", "failed")
                .description("refresh messages refused (invalid, expired, other subject, or AUTH_MODE=none)").register(registry);
        expiringNotices = Counter.builder("stocktracker.edge.token.expiring")
                .description("token_expiring notices sent").register(registry);
        expiredClosed = Counter.builder("stocktracker.edge.token.expired")
                .description("connections closed with 4001 because their token expired without a refresh").register(registry);
        userConnectionRefusals = Counter.builder("stocktracker.edge.user.refusals").tag("limit", "connections")
                .description("upgrades refused over MAX_CONNECTIONS_PER_USER").register(registry);
        userRateRefusals = Counter.builder("stocktracker.edge.user.refusals").tag("limit", "messages")
                .description("messages dropped over the user's shared rate (USER_MESSAGE_RATE_PER_SECOND)").register(registry);
        Gauge.builder("stocktracker.edge.users.connected", users, UserQuotas::users)
                .description("distinct token subjects holding a connection").register(registry);
    }
}
