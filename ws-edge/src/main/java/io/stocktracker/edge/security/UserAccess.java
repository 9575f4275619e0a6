package io.stocktracker.edge.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.stocktracker.edge.EdgeConfig;

/**
 * Who may do what: the token verifier, the per-user quotas and the per-tier subscription limits, built once from the
 * configuration and shared by the upgrade, message and REST paths.
 *
 * @param authenticator one verifier for the upgrade, refresh and REST paths alike (one JWKS cache); null with
 *                      AUTH_MODE=none
 */
public record UserAccess(TokenAuthenticator authenticator, UserQuotas users, TierLimits tierLimits, SecurityMetrics metrics) {

    public static UserAccess create(EdgeConfig config, MeterRegistry registry) {
        boolean tokens = config.authMode() == EdgeConfig.AuthMode.jwt;
        UserQuotas users = new UserQuotas(config.users().maxConnectionsPerUser(), config.users().messageRatePerSecond(),
                config.users().messageBurst(), config.users().bucketIdle().toNanos(), System::nanoTime);
        return new UserAccess(tokens ? TokenAuthenticator.create(config.jwt()) : null, users,
                TierLimits.of(config.users().tierSubscriptionLimits(), config.maxSubscriptions(), tokens),
                new SecurityMetrics(registry, users));
    }
}
