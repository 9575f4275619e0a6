package io.stocktracker.loadgen.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.loadgen.report.MeasurementWindow;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupStatsTest {
    private final MeasurementWindow window = new MeasurementWindow();
    private final Map<String, Long> lastSeqs = new HashMap<>();

    @Test
    void countsOnlyQuotesIngestedInsideTheWindow() {
        GroupStats stats = new GroupStats(window, "loadgen", false);
        window.open(1_000);
        assertThat(stats.onEntry(new Frame.Entry("A", 1, 999, "loadgen"), false, 2_000, lastSeqs)).isFalse();
        assertThat(stats.onEntry(new Frame.Entry("A", 2, 1_000, "loadgen"), false, 3_000, lastSeqs)).isTrue();
        window.close(5_000);
        assertThat(stats.onEntry(new Frame.Entry("A", 3, 4_999, "loadgen"), false, 9_000, lastSeqs)).isTrue();
        assertThat(stats.onEntry(new Frame.Entry("A", 4, 5_000, "loadgen"), false, 9_000, lastSeqs)).isFalse();
        assertThat(stats.delivered()).isEqualTo(2);
        assertThat(stats.latencyMicros().getMaxValueAsDouble()).isBetween(4_000.0, 4_010.0);
    }

    @Test
    void duplicatesAndOtherSourcesAndSnapshotsAreNotDeliveries() {
        GroupStats stats = new GroupStats(window, "loadgen", false);
        window.open(0);
        stats.onEntry(new Frame.Entry("A", 5, 10, "loadgen"), false, 20, lastSeqs);
        stats.onEntry(new Frame.Entry("A", 5, 10, "loadgen"), false, 20, lastSeqs);
        stats.onEntry(new Frame.Entry("A", 4, 10, "loadgen"), false, 20, lastSeqs);
        stats.onEntry(new Frame.Entry("A", 9, 10, "Simulated"), false, 20, lastSeqs);
        stats.onEntry(new Frame.Entry("B", 1, 10, "loadgen"), true, 20, lastSeqs);
        assertThat(stats.delivered()).isEqualTo(1);
        assertThat(stats.duplicates()).isEqualTo(2);
        assertThat(stats.snapshots()).isEqualTo(1);
        assertThat(lastSeqs).containsEntry("B", 1L);
    }

    @Test
    void withoutAFeedItRemembersDistinctSeqsToDeriveExpected() {
        GroupStats stats = new GroupStats(window, null, true);
        window.open(0);
        Map<String, Long> other = new HashMap<>();
        stats.onEntry(new Frame.Entry("A", 1, 10, "Simulated"), false, 20, lastSeqs);
        stats.onEntry(new Frame.Entry("A", 2, 10, "Simulated"), false, 20, lastSeqs);
        stats.onEntry(new Frame.Entry("A", 2, 10, "Simulated"), false, 20, other);
        assertThat(stats.distinctSeqsPerSymbol()).containsEntry("A", 2L);
        assertThat(stats.delivered()).isEqualTo(3);
    }
}
