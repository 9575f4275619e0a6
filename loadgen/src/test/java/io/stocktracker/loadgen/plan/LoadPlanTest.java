package io.stocktracker.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadPlanTest {
    private static final URI URL = URI.create("ws://localhost:8081/ws");

    @Test
    void seedThroughputPresetIsTheSeedsThroughputTest() {
        LoadPlan plan = LoadPlan.resolve(Preset.SEED_THROUGHPUT, LoadPlan.Overrides.none(URL));
        assertThat(plan.clients()).isEqualTo(100);
        assertThat(plan.symbols()).hasSize(50);
        assertThat(plan.rate()).isEqualTo(50); // one update per symbol per second
        assertThat(plan.symbolsPerClient()).isEqualTo(50);
        assertThat(plan.slowClients()).isZero();
        assertThat(plan.scenario()).isEqualTo(Scenario.STEADY);
    }

    @Test
    void fanoutPresetHasTenThousandClientsOnTenOfFiveHundredSymbols() {
        LoadPlan plan = LoadPlan.resolve(Preset.FANOUT_10K, LoadPlan.Overrides.none(URL));
        assertThat(plan.clients()).isEqualTo(10_000);
        assertThat(plan.symbols()).hasSize(500).startsWith("LG000").endsWith("LG499");
        assertThat(plan.symbolsPerClient()).isEqualTo(10);
        assertThat(plan.rate()).isEqualTo(500);
    }

    @Test
    void slowConsumersPresetMakesTenPercentOfClientsSlow() {
        LoadPlan plan = LoadPlan.resolve(Preset.SLOW_CONSUMERS, LoadPlan.Overrides.none(URL));
        assertThat(plan.slowClients()).isEqualTo(plan.clients() / 10);
        assertThat(plan.slowReadDelay()).isPositive();
    }

    @Test
    void reconnectStormPresetUsesTheStormScenario() {
        assertThat(LoadPlan.resolve(Preset.RECONNECT_STORM, LoadPlan.Overrides.none(URL)).scenario())
                .isEqualTo(Scenario.RECONNECT_STORM);
    }

    @Test
    void overridesReplacePresetValues() {
        LoadPlan plan = LoadPlan.resolve(Preset.FANOUT_10K, new LoadPlan.Overrides(URL, null, "127.0.0.1:9092", 20, 8, null,
                "ZZ", 3, 40, Duration.ZERO, Duration.ofSeconds(3), null, 0.5, null, 0, null, null, null));
        assertThat(plan.clients()).isEqualTo(20);
        assertThat(plan.symbols()).containsExactly("ZZ0", "ZZ1", "ZZ2", "ZZ3", "ZZ4", "ZZ5", "ZZ6", "ZZ7");
        assertThat(plan.symbolsPerClient()).isEqualTo(3);
        assertThat(plan.rate()).isEqualTo(40);
        assertThat(plan.slowClients()).isEqualTo(10);
        assertThat(plan.drivesFeed()).isTrue();
    }

    @Test
    void explicitSymbolListIsNormalizedAndDeduplicated() {
        LoadPlan plan = LoadPlan.resolve(Preset.SEED_THROUGHPUT, new LoadPlan.Overrides(URL, null, null, 2, null,
                List.of("aapl", " msft", "AAPL"), null, null, null, null, null, null, null, null, null, null, null, null));
        assertThat(plan.symbols()).containsExactly("AAPL", "MSFT");
        assertThat(plan.symbolsPerClient()).isEqualTo(2); // capped by the list's size
        assertThat(plan.drivesFeed()).isFalse();
    }

    @Test
    void metricsUrlIsDerivedFromTheWebSocketUrl() {
        assertThat(LoadPlan.metricsUrlFor(URI.create("ws://h:9/ws"))).isEqualTo(URI.create("http://h:9/metrics"));
        assertThat(LoadPlan.metricsUrlFor(URI.create("wss://h/ws"))).isEqualTo(URI.create("https://h/metrics"));
    }

    @Test
    void rejectsImpossiblePlansWithClearMessages() {
        assertThatThrownBy(() -> LoadPlan.resolve(Preset.SEED_THROUGHPUT, new LoadPlan.Overrides(URL, null, null, 0,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null)))
                .hasMessageContaining("clients must be > 0");
        assertThatThrownBy(() -> LoadPlan.resolve(Preset.SEED_THROUGHPUT, new LoadPlan.Overrides(URL, null, null, null,
                5, null, null, 6, null, null, null, null, null, null, null, null, null, null)))
                .hasMessageContaining("symbols per client");
        assertThatThrownBy(() -> LoadPlan.resolve(Preset.SEED_THROUGHPUT, LoadPlan.Overrides.none(URI.create("http://h/ws"))))
                .hasMessageContaining("ws://");
        assertThatThrownBy(() -> LoadPlan.resolve(Preset.SEED_THROUGHPUT, new LoadPlan.Overrides(URL, null, null, null,
                null, List.of("not a symbol!"), null, null, null, null, null, null, null, null, null, null, null, null)))
                .hasMessageContaining("not a valid symbol");
    }

    @Test
    void presetsParseByCliNameOrConstantName() {
        assertThat(Preset.parse("fanout-10k")).isEqualTo(Preset.FANOUT_10K);
        assertThat(Preset.parse("SLOW_CONSUMERS")).isEqualTo(Preset.SLOW_CONSUMERS);
        assertThatThrownBy(() -> Preset.parse("nope")).hasMessageContaining("seed-throughput");
    }
}
