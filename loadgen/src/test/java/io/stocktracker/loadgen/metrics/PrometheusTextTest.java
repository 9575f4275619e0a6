package io.stocktracker.loadgen.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    private static final String BODY = """
            # HELP process_cpu_usage The "recent cpu usage" for the Java Virtual Machine process
            # TYPE process_cpu_usage gauge
            process_cpu_usage{application="ws-edge"} 0.25
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.5E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 5000000.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 4.0E7
            jvm_memory_max_bytes{area="heap",id="G1 Survivor Space"} -1.0
            ws_connections_active 42
            odd{a="with \\"quote\\", comma"} 1
            """;

    @Test
    void readsCpuAndSumsHeapAcrossPools() {
        PrometheusText m = PrometheusText.parse(BODY);
        assertThat(m.first("process_cpu_usage")).hasValue(0.25);
        assertThat(m.sum("jvm_memory_used_bytes", "area", "heap")).hasValue(2.0E7);
        assertThat(m.sum("jvm_memory_max_bytes", "area", "heap")).isEmpty(); // -1 means undefined
        assertThat(m.first("ws_connections_active")).hasValue(42);
        assertThat(m.first("missing")).isEmpty();
    }

    @Test
    void labelValuesMayContainEscapedQuotesAndCommas() {
        PrometheusText m = PrometheusText.parse(BODY);
        assertThat(m.samples()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("odd");
            assertThat(s.labels()).containsEntry("a", "with \"quote\", comma");
        });
    }

    @Test
    void samplerKeepsAverageAndMaximum() {
        EdgeMetricsSampler sampler = new EdgeMetricsSampler(java.net.URI.create("http://127.0.0.1:1/metrics"));
        sampler.record(PrometheusText.parse("process_cpu_usage 0.2\njvm_memory_used_bytes{area=\"heap\"} 100\n"
                + "stocktracker_edge_slow_conflations_total 7.0\n"));
        sampler.record(PrometheusText.parse("process_cpu_usage 0.4\njvm_memory_used_bytes{area=\"heap\"} 50\n"
                + "stocktracker_edge_slow_conflations_total 19.0\n"));
        EdgeMetricsSampler.EdgeUsage u = sampler.usage();
        assertThat(u.samples()).isEqualTo(2);
        assertThat(u.cpuAvg()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(u.cpuMax()).isEqualTo(0.4);
        assertThat(u.heapMaxBytes()).isEqualTo(100);
        assertThat(u.heapLastBytes()).isEqualTo(50);
        assertThat(u.conflations()).isEqualTo(12);
        assertThat(u.slowDisconnects()).isEqualTo(-1); // not exported: unknown, not zero
    }
}
