package io.stocktracker.loadgen.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the edge's {@code /metrics} once a second during the window: {@code process_cpu_usage} (0..1 of
 * the whole machine, as Micrometer reports it) and heap used ({@code jvm_memory_used_bytes{area="heap"}}).
 * When the edge shares its JVM with other services (the launcher), the figures cover that whole process.
 */
public final class EdgeMetricsSampler implements AutoCloseable {
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loadgen-metrics");
        t.setDaemon(true);
        return t;
    });
    private double cpuSum;
    private int cpuSamples;
    private double cpuMax;
    private double heapMax;
    private double heapLast;
    private double conflationsFirst = Double.NaN;
    private double conflationsLast = Double.NaN;
    private double slowClosesFirst = Double.NaN;
    private double slowClosesLast = Double.NaN;
    private int failures;
    private String lastFailure;

    /**
     * {@code conflations} / {@code slowDisconnects}: growth of the edge's {@value #CONFLATIONS} and
     * {@value #SLOW_DISCONNECTS} counters while sampling, -1 when the edge does not export them.
     */
    public record EdgeUsage(int samples, double cpuAvg, double cpuMax, double heapLastBytes, double heapMaxBytes,
                            int failures, String lastFailure, long conflations, long slowDisconnects) {
    }

    /** The ws-edge's counters of quotes replaced before a lagging client took them, and of slow clients closed. */
    public static final String CONFLATIONS = "stocktracker_edge_slow_conflations_total";
    public static final String SLOW_DISCONNECTS = "stocktracker_edge_slow_disconnects_total";

    public EdgeMetricsSampler(URI url) {
        this.url = url;
    }

    public EdgeMetricsSampler start() {
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
        return this;
    }

    void sample() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                fail("HTTP " + r.statusCode());
                return;
            }
            record(PrometheusText.parse(r.body()));
        } catch (Exception e) {
            fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    synchronized void record(PrometheusText metrics) {
        metrics.first("process_cpu_usage").ifPresent(cpu -> {
            if (!Double.isNaN(cpu) && cpu >= 0) {
                cpuSum += cpu;
                cpuSamples++;
                cpuMax = Math.max(cpuMax, cpu);
            }
        });
        metrics.first(CONFLATIONS).ifPresent(v -> {
            if (Double.isNaN(conflationsFirst)) {
                conflationsFirst = v;
            }
            conflationsLast = v;
        });
        metrics.first(SLOW_DISCONNECTS).ifPresent(v -> {
            if (Double.isNaN(slowClosesFirst)) {
                slowClosesFirst = v;
            }
            slowClosesLast = v;
        });
        metrics.sum("jvm_memory_used_bytes", "area", "heap").ifPresent(heap -> {
            heapLast = heap;
            heapMax = Math.max(heapMax, heap);
        });
    }

    private synchronized void fail(String why) {
        failures++;
        lastFailure = why;
    }

    public synchronized EdgeUsage usage() {
        return new EdgeUsage(cpuSamples, cpuSamples == 0 ? 0 : cpuSum / cpuSamples, cpuMax, heapLast, heapMax, failures, lastFailure,
                Double.isNaN(conflationsFirst) ? -1 : Math.round(conflationsLast - conflationsFirst),
                Double.isNaN(slowClosesFirst) ? -1 : Math.round(slowClosesLast - slowClosesFirst));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
