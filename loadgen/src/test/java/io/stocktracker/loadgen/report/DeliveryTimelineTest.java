package io.stocktracker.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryTimelineTest {
    private static final long MS = 1_000_000L;

    @Test
    void theLongestGapIsTheLongestRunOfEmptyTenthsOfASecond() {
        DeliveryTimeline t = new DeliveryTimeline(0, 10);
        for (long ms = 0; ms < 1_000; ms += 50) {
            t.record(ms * MS, 1);
        }
        // nothing from 1.0 s to 3.3 s, then again from 3.3 s
        for (long ms = 3_300; ms < 5_000; ms += 50) {
            t.record(ms * MS, 2);
        }
        assertThat(t.longestGapSeconds(0, 5_000 * MS)).isEqualTo(2.3);
        assertThat(t.longestGapSeconds(3_300 * MS, 5_000 * MS)).isEqualTo(0.0);
        // a gap at the very end counts too
        assertThat(t.longestGapSeconds(3_300 * MS, 6_000 * MS)).isEqualTo(1.0);
    }

    @Test
    void perSecondSumsTheTenthsAndGrowsPastItsFirstSpan() {
        DeliveryTimeline t = new DeliveryTimeline(1_000 * MS, 1);
        t.record(500 * MS, 7); // before the start: ignored
        t.record(1_000 * MS, 3);
        t.record(1_950 * MS, 4);
        t.record(2_100 * MS, 5);
        t.record(40_000 * MS, 6);
        assertThat(t.perSecond(1_000 * MS, 3_000 * MS)).containsExactly(7, 5);
        assertThat(t.perSecond(40_000 * MS, 41_000 * MS)).containsExactly(6);
        assertThat(t.longestGapSeconds(2_200 * MS, 40_000 * MS)).isEqualTo(37.8);
    }
}
