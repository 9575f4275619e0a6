package io.stocktracker.edge.security;

import java.time.Duration;
import java.time.Instant;

/**
 * When a connection must hear {@code token_expiring} and when it must be closed, from its token's {@code exp}
 * (pure: the session layer turns a {@link Plan} into two one-shot tasks on its shared scheduler).
 */
public final class TokenLifetime {
    /**
     * @param noticeDelay  how long until {@code token_expiring} (zero: at once, the token is already inside the
     *                     window); null when the token expires now (no notice: it closes at once)
     * @param expiryDelay  how long until the UNAUTHORIZED close (zero: at once)
     */
    public record Plan(Instant expiresAt, Duration noticeDelay, Duration expiryDelay) {
        public boolean expired() {
            return expiryDelay.isZero();
        }
    }

    private TokenLifetime() {}

    /** Null when the token has no {@code exp}: it never expires on the edge. */
    public static Plan plan(Instant expiresAt, Instant now, Duration refreshWindow) {
        if (expiresAt == null) {
            return null;
        }
        Duration untilExpiry = Duration.between(now, expiresAt);
        if (untilExpiry.isNegative() || untilExpiry.isZero()) {
            return new Plan(expiresAt, null, Duration.ZERO);
        }
        Duration untilNotice = untilExpiry.minus(refreshWindow);
        return new Plan(expiresAt, untilNotice.isNegative() ? Duration.ZERO : untilNotice, untilExpiry);
    }
}
