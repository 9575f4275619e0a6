package io.stocktracker.ingest.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceilingDoublesUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofMillis(1000), () -> 1.0);

        assertThat(IntStream.rangeClosed(1, 5).mapToObj(backoff::ceiling).map(Duration::toMillis))
                .containsExactly(200L, 400L, 800L, 1000L, 1000L);
        assertThat(backoff.ceiling(100).toMillis()).isEqualTo(1000L);
    }

    @Test
    void delaysAreJitteredBelowTheCeiling() {
        Random random = new Random(1);
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofMillis(1000), random::nextDouble);

        var delays = IntStream.range(0, 200).mapToObj(i -> backoff.delay(3).toMillis()).toList();

        assertThat(delays).allMatch(d -> d >= 0 && d <= 800);
        assertThat(delays.stream().distinct().count()).as("spread, not in step").isGreaterThan(50);
    }
}
