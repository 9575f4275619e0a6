package io.stocktracker.ingest.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateBudgetTest {
    private static final Instant T0 = Instant.parse("2024-01-10T15:00:00Z");

    @Test
    void twelveDataFreeTierAllowsEightCreditsPerSlidingMinute() {
        RateBudget budget = new RateBudget(8, 800);

        assertThat(budget.tryAcquire(5, T0)).isTrue();
        assertThat(budget.available(T0.plusSeconds(10))).isEqualTo(3);
        assertThat(budget.tryAcquire(4, T0.plusSeconds(10))).as("all or nothing").isFalse();
        assertThat(budget.tryAcquire(3, T0.plusSeconds(10))).isTrue();
        assertThat(budget.available(T0.plusSeconds(59))).isZero();
        assertThat(budget.available(T0.plusSeconds(60))).as("the first 5 slid out").isEqualTo(5);
        assertThat(budget.available(T0.plusSeconds(70))).isEqualTo(8);
        assertThat(budget.remainingToday(T0.plusSeconds(70))).isEqualTo(792);
    }

    @Test
    void alphaVantageFreeTierStopsAtTwentyFivePerDay() {
        RateBudget budget = new RateBudget(5, 25);
        Instant t = T0;
        int spent = 0;
        for (int i = 0; i < 100; i++, t = t.plusSeconds(20)) {
            if (budget.tryAcquire(1, t)) {
                spent++;
            }
        }

        assertThat(spent).isEqualTo(25);
        assertThat(budget.available(T0.plus(Duration.ofHours(23)))).isZero();
        assertThat(budget.available(T0.plus(Duration.ofDays(1)).plusSeconds(1))).isPositive();
    }

    @Test
    void zeroMeansUnlimited() {
        RateBudget budget = RateBudget.unlimited();

        assertThat(budget.limited()).isFalse();
        assertThat(budget.tryAcquire(1_000_000, T0)).isTrue();
        assertThat(budget.available(T0)).isEqualTo(RateBudget.UNLIMITED);
    }

    @Test
    void providerRefusalStopsSpendingUntilTheCooldownEnds() {
        RateBudget budget = new RateBudget(8, 800);

        budget.exhaustUntil(T0.plusSeconds(60));

        assertThat(budget.available(T0.plusSeconds(30))).isZero();
        assertThat(budget.tryAcquire(1, T0.plusSeconds(30))).isFalse();
        assertThat(budget.available(T0.plusSeconds(60))).isEqualTo(8);
    }
}
