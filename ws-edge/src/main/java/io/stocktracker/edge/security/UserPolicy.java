package io.stocktracker.edge.security;

import java.time.Duration;
import java.util.Map;

/**
 * What applies per authenticated user (the token's {@code sub}) and per token: the refresh window before
 * {@code exp}, connections and shared message rate per user, and subscriptions per connection by {@code tier}.
 * Read by {@code EdgeConfig} (TOKEN_REFRESH_WINDOW_MS, MAX_CONNECTIONS_PER_USER, USER_MESSAGE_RATE_PER_SECOND,
 * USER_MESSAGE_BURST, TIER_SUBSCRIPTION_LIMITS, USER_BUCKET_IDLE_MS, USER_CONNECTIONS_TTL_MS,
 * USER_CONNECTIONS_CHECK_TIMEOUT_MS), and the price alerts a user (AUTH_MODE=jwt, by tier: TIER_ALERT_LIMITS) or a
 * connection (AUTH_MODE=none: MAX_ALERTS) may hold.
 *
 * @param bucketIdle            how long a user's shared message bucket is kept after its last connection on this edge
 *                              closed, so reconnecting does not refill it
 * @param connectionsTtl        lease of this edge's per-user counts in Redis ({@link RedisUserConnections}): a crashed
 *                              edge's connections stop counting after it; renewed every third of it
 * @param connectionsCheckTimeout longest wait for Redis when admitting a connection; past it the edge's own cap decides
 */
public record UserPolicy(Duration tokenRefreshWindow, int maxConnectionsPerUser, double messageRatePerSecond,
                         int messageBurst, Map<String, Integer> tierSubscriptionLimits, Duration bucketIdle,
                         Duration connectionsTtl, Duration connectionsCheckTimeout,
                         Map<String, Integer> tierAlertLimits, int maxAlerts) {
    public UserPolicy {
        tierSubscriptionLimits = Map.copyOf(tierSubscriptionLimits);
        tierAlertLimits = Map.copyOf(tierAlertLimits);
    }
}
