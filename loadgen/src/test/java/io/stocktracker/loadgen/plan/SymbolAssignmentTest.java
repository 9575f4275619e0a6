package io.stocktracker.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SymbolAssignmentTest {

    @Test
    void everyClientGetsKDistinctSymbols() {
        SymbolAssignment a = new SymbolAssignment(LoadPlan.generateSymbols("S", 500), 10, 10_000);
        for (int c = 0; c < a.clients(); c += 137) {
            assertThat(a.symbolsFor(c)).hasSize(10).doesNotHaveDuplicates();
        }
    }

    @Test
    void subscribersAreSpreadEvenlyOverSymbols() {
        SymbolAssignment a = new SymbolAssignment(LoadPlan.generateSymbols("S", 500), 10, 10_000);
        Map<String, Integer> counts = a.subscriberCounts();
        assertThat(counts).hasSize(500);
        assertThat(counts.values()).allMatch(n -> n == 200);
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100_000);
    }

    @Test
    void unevenShapesStayWithinOneSubscriber() {
        SymbolAssignment a = new SymbolAssignment(LoadPlan.generateSymbols("S", 50), 7, 33);
        var counts = a.subscriberCounts().values();
        int min = counts.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = counts.stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
        assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(33 * 7);
    }

    @Test
    void allSymbolsPerClientMeansEveryoneWatchesEverything() {
        SymbolAssignment a = new SymbolAssignment(List.of("A", "B", "C"), 3, 4);
        assertThat(a.symbolsFor(2)).containsExactlyInAnyOrder("A", "B", "C");
        assertThat(a.subscriberCounts()).containsEntry("A", 4).containsEntry("C", 4);
    }

    @Test
    void subscriberCountsCanBeRestrictedToSomeClients() {
        SymbolAssignment a = new SymbolAssignment(List.of("A", "B"), 1, 4); // 0:A 1:B 2:A 3:B
        assertThat(a.subscriberCounts(c -> c != 0)).containsEntry("A", 1).containsEntry("B", 2);
        assertThat(a.subscriberCounts(0, 2)).containsEntry("A", 1).containsEntry("B", 1);
    }
}
