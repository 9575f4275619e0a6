package io.stocktracker.ingest.budget;

import java.time.Duration;
import java.time.Instant;

/**
 * A per-provider breaker: CLOSED until {@code failureThreshold} consecutive unhealthy calls, then OPEN
 * (the provider is skipped, the chain falls through to the next one) for {@code openDuration}, then
 * HALF_OPEN: one trial call decides between CLOSED and another OPEN period.
 *
 * <p>A small class rather than resilience4j's: time is passed in, so open/half-open is tested without
 * sleeping, and the only policy needed (consecutive failures of a once-per-cycle caller) fits here.
 */
public final class CircuitBreaker {

    public enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    private final int failureThreshold;
    private final Duration openDuration;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openedAt = Instant.MIN;
    private boolean trialInFlight;

    public CircuitBreaker(int failureThreshold, Duration openDuration) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be >= 1");
        }
        this.failureThreshold = failureThreshold;
        this.openDuration = openDuration;
    }

    /** Whether a call may go out now; in HALF_OPEN only one trial call is let through. */
    public synchronized boolean allowRequest(Instant now) {
        if (state == State.OPEN && !now.isBefore(openedAt.plus(openDuration))) {
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (trialInFlight) {
                    yield false;
                }
                trialInFlight = true;
                yield true;
            }
        };
    }

    public synchronized void recordSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        trialInFlight = false;
    }

    public synchronized void recordFailure(Instant now) {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
            state = State.OPEN;
            openedAt = now;
            trialInFlight = false;
        }
    }

    /** The state as of {@code now} (OPEN turns HALF_OPEN once its period is over). */
    public synchronized State state(Instant now) {
        if (state == State.OPEN && !now.isBefore(openedAt.plus(openDuration))) {
            return State.HALF_OPEN;
        }
        return state;
    }
}
