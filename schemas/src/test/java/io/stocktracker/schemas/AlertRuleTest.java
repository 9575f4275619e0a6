package io.stocktracker.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.model.AlertRule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one alert rule both evaluators (streams-processor, and the edge without auth) apply. */
class AlertRuleTest {
    private static final Instant T = Instant.parse("2024-01-10T10:30:00Z");

    @Test
    void aboveAndBelowFireAtTheirPriceOrBeyond() {
        AlertRule above = new AlertRule("a", "TCS", 100.0, null, null, null, T);
        AlertRule below = new AlertRule("b", "TCS", null, 90.0, null, null, T);
        assertThat(above.check(99.99, T, null).fired()).isFalse();
        assertThat(above.check(100.0, T, null).fired()).isTrue();
        assertThat(below.check(90.01, T, null).fired()).isFalse();
        assertThat(below.check(89.0, T, null).fired()).isTrue();
    }

    @Test
    void movePercentComparesWithTheFirstPriceOfTheCurrentWindowAndTheWindowTumbles() {
        AlertRule move = new AlertRule("m", "TCS", null, null, 2.0, 60, T);
        AlertRule.Check first = move.check(100.0, T, null);
        assertThat(first.fired()).isFalse();
        assertThat(first.window()).isEqualTo(new AlertRule.Window(100.0, T));
        assertThat(move.check(101.9, T.plusSeconds(30), first.window()).fired()).isFalse();
        assertThat(move.check(97.9, T.plusSeconds(59), first.window()).fired()).isTrue();
        // the same move after the window closed only starts a new window
        AlertRule.Check late = move.check(97.9, T.plusSeconds(60), first.window());
        assertThat(late.fired()).isFalse();
        assertThat(late.window()).isEqualTo(new AlertRule.Window(97.9, T.plusSeconds(60)));
    }
}
