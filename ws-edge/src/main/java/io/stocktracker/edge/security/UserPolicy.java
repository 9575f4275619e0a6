package io.stocktracker.edge.security;

import java.time.Duration;
import java.util.Map;

/**
 * What applies per authenticated user (the token's {@code sub}) and per token: the refresh window before
 * {@code exp}, connections and shared message rate per user, and subscriptions per connection by {@code tier}.
 * Read by {@code EdgeConfig} (TOKEN_REFRESH_WINDOW_MS, MAX_CONNECTIONS_PER_USER, USER_MESSAGE_RATE_PER_SECOND,
 * USER_MESSAGE_BURST, TIER_SUBSCRIPTION_LIMITS).
 */
public record UserPolicy(Duration tokenRefreshWindow, int maxConnectionsPerUser, double messageRatePerSecond,
                         int messageBurst, Map<String, Integer> tierSubscriptionLimits) {
    public UserPolicy {
        tierSubscriptionLimits = Map.copyOf(tierSubscriptionLimits);
    }
}
