package io.stocktracker.ingest.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FetchPlannerTest {
    private static final Instant T0 = Instant.parse("2024-01-10T15:00:00Z");
    private final FetchPlanner planner = new FetchPlanner();

    @Test
    void mostSubscribedFirstThenStalestThenByName() {
        Map<String, Integer> demand = Map.of("AAPL", 3, "MSFT", 1, "TSLA", 1, "NVDA", 1, "IBM", 2);
        Map<String, Instant> lastFetched = Map.of(
                "MSFT", T0.plusSeconds(10),
                "TSLA", T0,
                "AAPL", T0.plusSeconds(20));

        assertThat(planner.prioritize(demand, lastFetched))
                .containsExactly("AAPL", "IBM", "NVDA", "TSLA", "MSFT");
    }
}
