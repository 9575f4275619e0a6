package io.stocktracker.kit.redis;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff rule for every reconnecting Redis connection (Lettuce's and the blocking subscriber's): before
 * attempt n (1 for the first retry) wait min(cap, 100 ms x 2^n), picked uniformly in its upper half, never under
 * 100 ms (or the cap, when that is lower). The cap is what a restarted Redis waits for its clients at worst; the
 * jitter keeps many instances from knocking in step.
 */
public record ReconnectBackoff(Duration cap) {
    public static final Duration FIRST_DELAY = Duration.ofMillis(100);

    public ReconnectBackoff {
        if (cap.isNegative() || cap.isZero()) {
            throw new IllegalArgumentException("the reconnect backoff cap must be positive, got " + cap);
        }
    }

    /** The wait before attempt {@code attempt} (1-based) in milliseconds. */
    public long delayMillis(long attempt) {
        long capMillis = cap.toMillis();
        long floor = Math.min(FIRST_DELAY.toMillis(), capMillis);
        long ceiling = Math.min(capMillis, FIRST_DELAY.toMillis() << Math.min(Math.max(attempt, 0), 30));
        long pick = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling - ceiling / 2 + 1);
        return Math.max(floor, pick);
    }
}
