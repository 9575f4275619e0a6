package io.stocktracker.ingest.budget;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Retry delays: exponential from {@code base}, capped at {@code max}, with "full jitter" (a uniform
 * draw below the exponential value) so many symbols or instances failing together do not retry in step.
 */
public final class Backoff {
    private final Duration base;
    private final Duration max;
    private final DoubleSupplier random;

    public Backoff(Duration base, Duration max, DoubleSupplier random) {
        this.base = base;
        this.max = max;
        this.random = random;
    }

    /** The delay before retry number {@code attempt} (1 = first retry). */
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toMillis();
        return Duration.ofMillis(Math.round(random.getAsDouble() * ceiling));
    }

    /** The upper bound of {@link #delay(int)} for {@code attempt}. */
    public Duration ceiling(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long exp = base.toMillis() << shift;
        return Duration.ofMillis(exp < 0 ? max.toMillis() : Math.min(exp, max.toMillis()));
    }
}
