package io.stocktracker.ingest.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.redis.SubscriptionChange;
import io.stocktracker.schemas.redis.SubscriptionChange.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActiveSymbolsTest {
    private static final Instant T0 = Instant.parse("2024-01-10T15:00:00Z");
    private final ActiveSymbols active = new ActiveSymbols(List.of("spy", "QQQ", "not a symbol!"), Duration.ofSeconds(5), s -> true);

    @Test
    void pinnedSymbolsAreAlwaysActiveAndNormalized() {
        assertThat(active.demand()).containsExactlyInAnyOrderEntriesOf(Map.of("SPY", 1, "QQQ", 1));
    }

    @Test
    void anEdgeSymbolOutsideTheUniverseIsNeverDemand() {
        Set<String> universe = new java.util.HashSet<>(Set.of("AAPL"));
        ActiveSymbols listedOnly = new ActiveSymbols(List.of("SPY"), Duration.ofSeconds(5), universe::contains);

        listedOnly.apply(change(Action.subscribe, "edge-1", "AAPL", "QZXV42"), T0);
        listedOnly.replaceAll(Map.of("edge-2", Set.of("QZXV42")), T0);

        assertThat(listedOnly.demand()).containsOnlyKeys("SPY", "AAPL");
        universe.add("QZXV42"); // listed later (a listing refresh): its interest counts from then on
        assertThat(listedOnly.demand()).containsEntry("QZXV42", 2);
    }

    @Test
    void symbolStaysActiveWhileAnyEdgeStillWantsIt() {
        active.apply(change(Action.subscribe, "edge-1", "AAPL", "MSFT"), T0);
        active.apply(change(Action.subscribe, "edge-2", "AAPL"), T0);
        assertThat(active.demand()).containsEntry("AAPL", 2).containsEntry("MSFT", 1);

        active.apply(change(Action.unsubscribe, "edge-1", "AAPL"), T0);

        assertThat(active.demand()).containsEntry("AAPL", 1);
        active.apply(change(Action.unsubscribe, "edge-2", "AAPL"), T0);
        assertThat(active.symbols()).doesNotContain("AAPL").contains("MSFT");
    }

    @Test
    void repeatedSubscribeFromOneEdgeCountsOnce() {
        active.apply(change(Action.subscribe, "edge-1", "AAPL"), T0);
        active.apply(change(Action.subscribe, "edge-1", "AAPL"), T0);

        assertThat(active.demand()).containsEntry("AAPL", 1);
        active.apply(change(Action.unsubscribe, "edge-1", "AAPL"), T0);
        assertThat(active.symbols()).doesNotContain("AAPL");
    }

    @Test
    void snapshotRebuildsEveryEdgeAndDropsEdgesWhoseSetExpired() {
        active.apply(change(Action.subscribe, "edge-dead", "TSLA"), T0);
        Instant later = T0.plusSeconds(60);

        active.replaceAll(Map.of("edge-1", Set.of("AAPL", "NVDA"), "edge-2", Set.of("aapl")), later);

        assertThat(active.demand()).containsEntry("AAPL", 2).containsEntry("NVDA", 1).doesNotContainKey("TSLA");
        assertThat(active.edgeIds()).containsExactlyInAnyOrder("edge-1", "edge-2");
    }

    @Test
    void liveChangeNewerThanTheSnapshotWins() {
        // the edge publishes before it writes its set: a snapshot read in between must not undo the subscribe
        active.apply(change(Action.subscribe, "edge-1", "AMD"), T0);

        active.replaceAll(Map.of(), T0.plusSeconds(2));
        assertThat(active.symbols()).contains("AMD");

        active.replaceAll(Map.of(), T0.plusSeconds(30));
        assertThat(active.symbols()).as("after the grace period the set is the truth").doesNotContain("AMD");
    }

    @Test
    void malformedChangesAreIgnored() {
        active.apply(new SubscriptionChange("subscription_change", Action.subscribe, null, "edge-1", T0), T0);
        active.apply(new SubscriptionChange("subscription_change", null, List.of("AAPL"), "edge-1", T0), T0);
        active.apply(new SubscriptionChange("subscription_change", Action.subscribe, List.of("AAPL"), null, T0), T0);

        assertThat(active.symbols()).containsExactlyInAnyOrder("SPY", "QQQ");
    }

    static SubscriptionChange change(Action action, String edge, String... symbols) {
        return new SubscriptionChange(SubscriptionChange.TYPE, action, List.of(symbols), edge, T0);
    }
}
