package io.stocktracker.loadgen.edgebench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchPlanTest {

    private static BenchPlan row(String name) {
        return BenchPlan.resolve(BenchScenario.parse(name), BenchPlan.Overrides.none());
    }

    @Test
    void issue12sRowsBecomeTheirPublishRates() {
        // deliveries / subscribers per symbol = publishes per second
        assertThat(row("floor").publishRateFor(row("floor").rate())).isEqualTo(20);
        assertThat(row("seed").subscribersPerSymbol()).isEqualTo(100);
        assertThat(row("seed").publishRateFor(5_000)).isEqualTo(50);
        assertThat(row("fresh-100k").publishRateFor(100_000)).isEqualTo(1_000);
        assertThat(row("fanout-5k").clients()).isEqualTo(5_000);
        assertThat(row("fanout-5k").publishRateFor(50_000)).isEqualTo(500);
        assertThat(row("max-rate").publishRateFor(250_000)).isEqualTo(2_500);
        assertThat(row("warm-100k").soak()).isEqualTo(Duration.ofMinutes(3));
        assertThat(row("warm-100k").soakRate()).isEqualTo(20_000);
        assertThat(row("idle-10k").idle()).isTrue();
        assertThat(row("seed").idle()).isFalse();
        assertThat(row("max-rate").idle()).isFalse();
    }

    @Test
    void overridesWinAndAPublishRateIsTurnedIntoDeliveries() {
        BenchPlan p = BenchPlan.resolve(BenchScenario.FRESH_100K, new BenchPlan.Overrides(10, 4, 2, null, 50.0,
                Duration.ofSeconds(15), Duration.ofSeconds(3), null, null, null, 0, null, null));
        assertThat(p.clients()).isEqualTo(10);
        assertThat(p.symbols()).containsExactly("EB0", "EB1", "EB2", "EB3");
        assertThat(p.rate()).isEqualTo(250); // 50 publishes/s x 5 subscribers per symbol
        assertThat(p.warmup()).isEqualTo(Duration.ofSeconds(15));
        assertThat(p.connectRate()).isZero();
        assertThat(p.symbolsPerClientList()).hasSize(10).allSatisfy(l -> assertThat(l).hasSize(2));
        assertThat(p.symbolsPerClientList().get(1)).containsExactly("EB2", "EB3");
    }

    @Test
    void refusesPlansThatCannotRun() {
        assertThatThrownBy(() -> BenchScenario.parse("fastest")).hasMessageContaining("unknown scenario 'fastest'")
                .hasMessageContaining("fresh-100k");
        assertThatThrownBy(() -> BenchPlan.resolve(BenchScenario.SEED, new BenchPlan.Overrides(null, null, null, 10.0, 10.0,
                null, null, null, null, null, null, null, null))).hasMessageContaining("not both");
        assertThatThrownBy(() -> BenchPlan.resolve(BenchScenario.SEED, new BenchPlan.Overrides(null, 10, 20, null, null,
                null, null, null, null, null, null, null, null))).hasMessageContaining("symbols per client");
        assertThatThrownBy(() -> BenchPlan.resolve(BenchScenario.MAX_RATE, new BenchPlan.Overrides(null, null, null, null, null,
                null, null, null, null, List.of(100, 0), null, null, null))).hasMessageContaining("ladder");
        assertThatThrownBy(() -> BenchPlan.resolve(BenchScenario.SEED, new BenchPlan.Overrides(0, null, null, null, null,
                null, null, null, null, null, null, null, null))).hasMessageContaining("clients");
    }
}
