package io.stocktracker.ingest.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The pacer across whole simulated days: a scheduler cycle every 2 s asks the budget for credits and
 * spends what it is given, as the provider chain does. Wednesday 2024-01-10: New York is UTC-5, the
 * session is 14:30-21:00 UTC.
 */
class BudgetPacerTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Instant WEDNESDAY = Instant.parse("2024-01-10T05:00:00Z"); // midnight in New York
    private static final Instant OPEN = Instant.parse("2024-01-10T14:30:00Z");
    private static final Instant CLOSE = Instant.parse("2024-01-10T21:00:00Z");
    private static final Duration CYCLE = Duration.ofSeconds(2);

    /** Runs cycles from {@code from} to {@code to}; {@code wanted} says how many credits a cycle could use. */
    private static List<Instant> simulate(RateBudget budget, Instant from, Instant to, java.util.function.Function<Instant, Integer> wanted) {
        List<Instant> spentAt = new ArrayList<>();
        for (Instant t = from; t.isBefore(to); t = t.plus(CYCLE)) {
            int take = Math.min(wanted.apply(t), budget.available(t));
            if (take > 0) {
                assertThat(budget.tryAcquire(take, t)).isTrue();
                for (int i = 0; i < take; i++) {
                    spentAt.add(t);
                }
            }
        }
        return spentAt;
    }

    private static long between(List<Instant> spentAt, Instant from, Instant to) {
        return spentAt.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
    }

    private static int maxPerMinute(List<Instant> spentAt) {
        Map<Long, Integer> perMinute = new TreeMap<>();
        spentAt.forEach(t -> perMinute.merge(t.getEpochSecond() / 60, 1, Integer::sum));
        return perMinute.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private static RateBudget twelveData(TradingWindow window, double offHoursShare) {
        return new RateBudget(8, 800, new BudgetPacer(window, 800, offHoursShare, 8));
    }

    @Test
    void eightHundredCreditsLastTheWholeSessionAtAboutTwoPerMinute() {
        RateBudget budget = twelveData(TradingWindow.usRegularSession(), 0);

        List<Instant> spent = simulate(budget, WEDNESDAY, WEDNESDAY.plus(Duration.ofDays(1)), t -> 50);

        assertThat(spent).hasSizeBetween(795, 800);
        assertThat(between(spent, WEDNESDAY, OPEN)).as("nothing before the open").isZero();
        assertThat(between(spent, CLOSE, WEDNESDAY.plus(Duration.ofDays(1)))).as("nothing after the close").isZero();
        assertThat(spent.get(0)).isEqualTo(OPEN);
        // every half hour of the session gets its share: 800 / 13 = 61.5
        for (Instant slot = OPEN; slot.isBefore(CLOSE); slot = slot.plus(Duration.ofMinutes(30))) {
            assertThat(between(spent, slot, slot.plus(Duration.ofMinutes(30)))).as("credits from %s", slot).isBetween(58L, 65L);
        }
        assertThat(maxPerMinute(spent)).as("about two a minute, never a burst").isLessThanOrEqualTo(3);
        assertThat(spent.get(spent.size() - 1)).as("the last credits go just before the close, not earlier")
                .isAfter(CLOSE.minus(Duration.ofMinutes(2)));
    }

    @Test
    void alphaVantageGetsItsTwentyFiveRequestsAboutEverySixteenMinutes() {
        RateBudget budget = new RateBudget(5, 25, new BudgetPacer(TradingWindow.usRegularSession(), 25, 0, 5));

        List<Instant> spent = simulate(budget, WEDNESDAY, WEDNESDAY.plus(Duration.ofDays(1)), t -> 3);

        assertThat(spent).hasSizeBetween(24, 25);
        assertThat(spent.get(0)).as("the first right at the open").isEqualTo(OPEN);
        for (int i = 2; i < spent.size(); i++) {
            assertThat(Duration.between(spent.get(i - 1), spent.get(i))).isBetween(Duration.ofMinutes(15), Duration.ofMinutes(17));
        }
        assertThat(spent.get(spent.size() - 1)).isAfter(CLOSE.minus(Duration.ofMinutes(17))).isBefore(CLOSE);
    }

    @Test
    void aRestartAtMiddayWithFourHundredLeftSpreadsThemOverTheRestOfTheSession() {
        Instant restart = Instant.parse("2024-01-10T17:45:00Z"); // 12:45 in New York, half the session left
        BudgetPacer pacer = new BudgetPacer(TradingWindow.usRegularSession(), 800, 0, 8);
        pacer.alreadySpent(400, restart);
        RateBudget budget = new RateBudget(8, 800, pacer);

        assertThat(pacer.remainingInPeriod(restart)).isEqualTo(400);
        List<Instant> spent = simulate(budget, restart, CLOSE, t -> 50);

        assertThat(spent).hasSizeBetween(395, 400);
        assertThat(between(spent, restart, restart.plus(Duration.ofHours(1)))).as("~2.05 a minute").isBetween(118L, 130L);
        assertThat(spent.get(spent.size() - 1)).isAfter(CLOSE.minus(Duration.ofMinutes(2)));
    }

    @Test
    void creditsNobodyNeededAreCarriedIntoTheRestOfTheSession() {
        Instant firstSubscriber = Instant.parse("2024-01-10T17:45:00Z"); // nobody watched the first half
        RateBudget budget = twelveData(TradingWindow.usRegularSession(), 0);

        List<Instant> spent = simulate(budget, OPEN, CLOSE, t -> t.isBefore(firstSubscriber) ? 0 : 50);

        assertThat(spent).hasSizeBetween(790, 800);
        assertThat(between(spent, firstSubscriber, firstSubscriber.plus(Duration.ofHours(1)))).as("twice the pace").isBetween(235L, 260L);
        assertThat(maxPerMinute(spent)).isLessThanOrEqualTo(8);
    }

    @Test
    void theWeekendAndTheNightsSpendNothing() {
        Instant saturday = Instant.parse("2024-01-13T05:00:00Z");
        RateBudget budget = twelveData(TradingWindow.usRegularSession(), 0);

        assertThat(simulate(budget, saturday, saturday.plus(Duration.ofDays(2)), t -> 50)).isEmpty();
        assertThat(simulate(budget, CLOSE, CLOSE.plus(Duration.ofHours(17)), t -> 50)).isEmpty();
        assertThat(budget.pacer().orElseThrow().untilNextCredit(saturday)).as("rests until Monday's open")
                .isEqualTo(Duration.between(saturday, Instant.parse("2024-01-15T14:30:00Z")));
    }

    @Test
    void alwaysSpreadsTheDayOverTwentyFourHours() {
        TradingWindow always = TradingWindow.parse("always", "MON-FRI", "America/New_York");
        Instant saturday = Instant.parse("2024-01-13T05:00:00Z");
        RateBudget budget = twelveData(always, 0);

        List<Instant> spent = simulate(budget, saturday, saturday.plus(Duration.ofDays(1)), t -> 50);

        assertThat(spent).hasSizeBetween(795, 800);
        for (Instant hour = saturday; hour.isBefore(saturday.plus(Duration.ofDays(1))); hour = hour.plus(Duration.ofHours(1))) {
            assertThat(between(spent, hour, hour.plus(Duration.ofHours(1)))).as("credits from %s", hour).isBetween(31L, 36L);
        }
    }

    @Test
    void anOffHoursShareTricklesThroughTheNightAndTheSessionKeepsTheRest() {
        RateBudget budget = twelveData(TradingWindow.usRegularSession(), 0.05);
        Instant nextOpen = OPEN.plus(Duration.ofDays(1));

        List<Instant> spent = simulate(budget, OPEN, nextOpen, t -> 50);

        assertThat(between(spent, OPEN, CLOSE)).isBetween(755L, 760L);
        long night = between(spent, CLOSE, nextOpen);
        assertThat(night).isBetween(39L, 40L);
        // spread over the 17.5 h gap, not spent at 16:00
        assertThat(between(spent, CLOSE, CLOSE.plus(Duration.ofHours(1)))).isLessThanOrEqualTo(4);
        assertThat(LocalTime.ofInstant(spent.get(spent.size() - 1), NEW_YORK)).isAfter(LocalTime.of(9, 0));
    }

    @Test
    void tellsHowLongUntilTheNextCredit() {
        BudgetPacer pacer = new BudgetPacer(TradingWindow.usRegularSession(), 25, 0, 5);

        assertThat(pacer.allowed(OPEN)).isEqualTo(1);
        assertThat(pacer.untilNextCredit(OPEN)).isZero();
        pacer.spend(1, OPEN);

        // 24 left over 390 minutes: one every 16.25 minutes
        assertThat(pacer.untilNextCredit(OPEN)).isBetween(Duration.ofSeconds(970), Duration.ofSeconds(980));
        assertThat(pacer.allowed(OPEN.plus(Duration.ofMinutes(16)))).isZero();
        assertThat(pacer.allowed(OPEN.plus(Duration.ofMinutes(17)))).isEqualTo(1);
        assertThat(pacer.inWindow(OPEN)).isTrue();
    }
}
