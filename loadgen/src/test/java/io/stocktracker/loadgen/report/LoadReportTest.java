package io.stocktracker.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LoadReportTest {

    @Test
    void expectedIsProducedTimesSubscribersPerSymbol() {
        long expected = DeliveryMath.expected(Map.of("A", 10L, "B", 5L, "C", 7L), Map.of("A", 3, "B", 0));
        assertThat(expected).isEqualTo(30);
    }

    @Test
    void deliveryRateStaysWithinZeroAndOneAndIsZeroWhenNothingWasExpected() {
        assertThat(DeliveryMath.rate(99, 100)).isEqualTo(0.99);
        assertThat(DeliveryMath.rate(120, 100)).isEqualTo(1.0);
        assertThat(DeliveryMath.rate(0, 0)).isZero();
        assertThat(DeliveryMath.perSecond(300, 30)).isEqualTo(10);
    }

    @Test
    void latencyPercentilesAreReportedInMilliseconds() {
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 1000L); // 1..1000 ms
        }
        LatencySummary s = LatencySummary.of(h);
        assertThat(s.p50()).isBetween(499.0, 501.0);
        assertThat(s.p99()).isBetween(989.0, 991.0);
        assertThat(s.max()).isBetween(999.0, 1001.0);
        assertThat(s.count()).isEqualTo(1000);
        assertThat(LatencySummary.of(new Histogram(3))).isEqualTo(LatencySummary.EMPTY);
    }

    @Test
    void jsonLineCarriesTheContractFieldsAndTextMentionsConflationForSlowClients() throws Exception {
        LatencySummary l = new LatencySummary(3, 1, 2, 3, 4, 5, 2);
        GroupResult fast = GroupResult.of(90, 900, 900, 0, 0, 900, 0, l);
        GroupResult slow = GroupResult.of(10, 100, 40, 0, 0, 20, 20, l);
        LoadReport r = LoadReport.of("slow-consumers", "steady", "2026-01-01T00:00:00Z", "ws://h/ws", 100, 100, 0, Map.of(),
                50, 10, true, 100, 10.0, 100, 0, 920, l, fast, slow, new LoadReport.Edge(3, 0.5, 0.7, 1e8, null), null,
                Map.of(4008, 2L), Map.of());
        String line = r.toJsonLine();
        assertThat(line).doesNotContain("\n");
        JsonNode n = JsonCodec.tree(line);
        assertThat(n.get("clients").asInt()).isEqualTo(100);
        assertThat(n.get("expected").asLong()).isEqualTo(1000);
        assertThat(n.get("delivered").asLong()).isEqualTo(940);
        assertThat(n.get("deliveryRate").asDouble()).isEqualTo(0.94);
        assertThat(n.get("quotesPerSecond").asDouble()).isEqualTo(94.0);
        for (String p : new String[] {"p50", "p90", "p99", "p999", "max"}) {
            assertThat(n.get("latencyMs").has(p)).as(p).isTrue();
        }
        assertThat(n.get("slow").get("deliveryRate").asDouble()).isEqualTo(0.4);
        assertThat(r.toText()).contains("conflation").contains("940 of 1000");
    }
}
