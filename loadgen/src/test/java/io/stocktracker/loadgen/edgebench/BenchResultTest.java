package io.stocktracker.loadgen.edgebench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.loadgen.report.LatencySummary;
import io.stocktracker.schemas.codec.JsonCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchResultTest {
    static final List<String> FIELDS = List.of("scenario", "clients", "subscribed", "symbols", "symbolsPerClient", "rate",
            "publishRate", "duration", "delivered", "expected", "edgeConflations", "deliveryPercent", "deliveredPerSecond", "latencyMs",
            "edgeCpuSeconds", "edgeCpuMicrosPerQuote", "clientThreadCpuSeconds", "edgeRssKb", "edgeRssKbStart", "loadAverageStart", "loadAverageEnd",
            "stallSeconds", "deliveriesPerSecond", "counts", "warmupSeconds", "edge", "startedAt");

    private static BenchResult.Window window(long expected, long delivered, double p99, double cpu) {
        return new BenchResult.Window(100_000, 1_000, 20.0, expected, delivered,
                new LatencySummary(delivered, 1.5, 2.0, p99, 9.0, 12.0, 1.7), cpu, 20_000, 3.5, 0);
    }

    private static BenchResult result(BenchResult.Window w, BenchResult.Idle idle, List<BenchResult.Window> steps, Double max) {
        return new BenchResult("fresh-100k", "2026-12-07T13:00:00Z", "child JVM pid 1", 1000, 1000, 100, 10, 100_000, 1_000,
                5, 0, w, new BenchResult.Edge(1, 200_000, 300_000), new double[] {5.3, 2.2, 0.8}, new double[] {6.1, 3.0, 1.0},
                0.4, new long[] {0, 90_000, 100_000},
                new BenchResult.Counts(2_000_000, 0, 0, 10_000, 0, 80_000, 70_000, 0, 0, 0, Map.of(), 0, Map.of(), Map.of(), 0, null),
                idle, steps, max);
    }

    @Test
    void theJsonLineIsOneLineWithEveryFieldAndTheDerivedFigures() {
        String line = result(window(2_000_000, 1_990_000, 41.0, 21.4), null, List.of(), null).toJsonLine();
        assertThat(line).doesNotContain("\n");
        JsonNode n = JsonCodec.tree(line);
        for (String f : FIELDS) {
            assertThat(n.has(f)).as(f).isTrue();
        }
        assertThat(n.get("deliveryPercent").asDouble()).isEqualTo(99.5);
        assertThat(n.get("edgeCpuMicrosPerQuote").asDouble()).isEqualTo(10.75);
        assertThat(n.get("deliveredPerSecond").asDouble()).isEqualTo(99_500);
        assertThat(n.get("latencyMs").get("p99").asDouble()).isEqualTo(41.0);
        assertThat(n.get("latencyMs").has("p999")).isTrue();
        assertThat(n.get("latencyMs").has("p50")).isTrue();
        assertThat(n.get("latencyMs").has("max")).isTrue();
        assertThat(n.get("loadAverageEnd").get(0).asDouble()).isEqualTo(6.1);
        assertThat(n.get("edgeRssKb").asLong()).isEqualTo(300_000);
        assertThat(n.get("stallSeconds").asDouble()).isEqualTo(0.4);
        assertThat(n.has("idle")).isFalse();
        assertThat(n.has("steps")).isFalse();
    }

    @Test
    void idleRunsReportRssPerConnection() {
        String line = result(null, new BenchResult.Idle(10_000, 200_000, 450_000), List.of(), null).toJsonLine();
        JsonNode idle = JsonCodec.tree(line).get("idle");
        assertThat(idle.get("rssKbPerConnection").asDouble()).isEqualTo(25.0);
        assertThat(new BenchResult.Idle(0, 1, 2).rssKbPerConnection()).isEqualTo(-1);
        assertThat(new BenchResult.Idle(10, -1, 2).rssKbPerConnection()).isEqualTo(-1);
    }

    @Test
    void aLadderStepPassesAtNinetyNinePercentWithinItsP99AndReportsEveryStep() {
        BenchResult.Window ok = window(1_000, 990, 900, 1.0);
        BenchResult.Window lossy = window(1_000, 989, 10, 1.0);
        BenchResult.Window late = window(1_000, 1_000, 1_001, 1.0);
        assertThat(ok.passes(1_000)).isTrue();
        assertThat(lossy.passes(1_000)).isFalse();
        assertThat(late.passes(1_000)).isFalse();
        assertThat(window(0, 0, 0, 1.0).passes(1_000)).isFalse();
        assertThat(window(10, 0, 0, -1).cpuMicrosPerQuote()).isEqualTo(-1);
        JsonNode n = JsonCodec.tree(result(ok, null, List.of(ok, late), 100_000.0).toJsonLine());
        assertThat(n.get("steps")).hasSize(2);
        assertThat(n.get("maxRate").asDouble()).isEqualTo(100_000);
    }
}
