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

    /** Null without an {@code exp}: only anonymous connections (AUTH_MODE=none), a token must carry one. */
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

    /**
     * True when a token lives longer than {@code max}: from {@code iat} to {@code exp}, or from now when it has no
     * {@code iat} or one ahead of now (an {@code iat} set late never makes a long-lived token look short).
     */
    public static boolean exceeds(Instant issuedAt, Instant expiresAt, Instant now, Duration max) {
        Instant from = issuedAt != null && issuedAt.isBefore(now) ? issuedAt : now;
        return Duration.between(from, expiresAt).compareTo(max) > 0;
    }
}
