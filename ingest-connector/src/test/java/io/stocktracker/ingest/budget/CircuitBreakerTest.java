package io.stocktracker.ingest.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.ingest.budget.CircuitBreaker.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private static final Instant T0 = Instant.parse("2024-01-10T15:00:00Z");
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30));

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        breaker.recordFailure(T0);
        breaker.recordFailure(T0);
        breaker.recordSuccess();
        breaker.recordFailure(T0);
        breaker.recordFailure(T0);
        assertThat(breaker.state(T0)).as("a success resets the count").isEqualTo(State.CLOSED);

        breaker.recordFailure(T0);

        assertThat(breaker.state(T0)).isEqualTo(State.OPEN);
        assertThat(breaker.allowRequest(T0.plusSeconds(29))).isFalse();
    }

    @Test
    void halfOpenLetsOneTrialThroughAndClosesOnSuccess() {
        open();

        assertThat(breaker.state(T0.plusSeconds(30))).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.allowRequest(T0.plusSeconds(30))).isTrue();
        assertThat(breaker.allowRequest(T0.plusSeconds(30))).as("only one trial at a time").isFalse();

        breaker.recordSuccess();

        assertThat(breaker.state(T0.plusSeconds(31))).isEqualTo(State.CLOSED);
        assertThat(breaker.allowRequest(T0.plusSeconds(31))).isTrue();
    }

    @Test
    void failedTrialOpensForAnotherPeriod() {
        open();
        assertThat(breaker.allowRequest(T0.plusSeconds(30))).isTrue();

        breaker.recordFailure(T0.plusSeconds(30));

        assertThat(breaker.state(T0.plusSeconds(31))).isEqualTo(State.OPEN);
        assertThat(breaker.allowRequest(T0.plusSeconds(59))).isFalse();
        assertThat(breaker.allowRequest(T0.plusSeconds(60))).isTrue();
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.recordFailure(T0);
        }
        assertThat(breaker.state(T0)).isEqualTo(State.OPEN);
    }
}
