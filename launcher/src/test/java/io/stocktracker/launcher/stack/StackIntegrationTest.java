package io.stocktracker.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.edge.EdgeApp;
import io.stocktracker.ingest.source.DefaultSymbols;
import io.stocktracker.loadgen.LoadRun;
import io.stocktracker.loadgen.plan.LoadPlan;
import io.stocktracker.loadgen.plan.Preset;
import io.stocktracker.loadgen.report.LoadReport;
import io.stocktracker.loadgen.metrics.PrometheusText;
import io.stocktracker.schemas.codec.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real stack: embedded Kafka, redis-server, streams, simulated ingest, two edges; the one the test JVM's
 * no-auth classes share ({@link SharedStack}), whose loadgen symbols are on its allow-list.
 */
@ExtendWith(SharedStack.class)
class StackIntegrationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /**
     * The load runs' longest wait for the window's quotes: it ends as soon as they are in, so a pipeline starved of
     * CPU (the chaos suite in the other fork) shows up as latency, not as loss.
     */
    private static final Duration DRAIN = Duration.ofSeconds(30);
    private static final String THROUGHPUT_PREFIX = SharedStack.THROUGHPUT_PREFIX;
    private static final String SLOW_PREFIX = SharedStack.SLOW_PREFIX;
    private static Stack stack;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void useTheSharedStack(Stack shared) {
        stack = shared;
    }

    private static String get(URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(uri.toString()).isEqualTo(200);
        return r.body();
    }

    @Test
    void printsTheUiAndWebSocketUrlsOfTheFirstEdge() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        io.stocktracker.launcher.UpCommandAccess.printUrls(stack, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
        int port = stack.edges().get(0).port();
        assertThat(lines).contains("UI: http://localhost:" + port + "/", "WebSocket: ws://localhost:" + port + "/ws");
    }

    @Test
    void apiSymbolsListsTheSimulatedSymbols() {
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode symbols = JsonCodec.tree(get(stack.uiUrl().resolve("/api/symbols")));
            Set<String> names = new TreeSet<>();
            symbols.forEach(n -> names.add(n.has("symbol") ? n.get("symbol").asText() : n.asText()));
            names.removeIf(n -> n.startsWith(THROUGHPUT_PREFIX) || n.startsWith(SLOW_PREFIX));
            assertThat(names).containsExactlyInAnyOrderElementsOf(DefaultSymbols.ALL).hasSize(50);
        });
    }

    @Test
    void aWebSocketClientSubscribedToASimulatedSymbolReceivesPriceUpdates() throws Exception {
        List<JsonNode> frames = new CopyOnWriteArrayList<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(stack.wsUrl(), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(JsonCodec.tree(partial.toString()));
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).get();
        try {
            ws.sendText("{\"action\":\"subscribe\",\"symbols\":[\"AAPL\"]}", true).get();
            await().atMost(PATIENCE).until(() -> frames.stream().anyMatch(f -> "price_update".equals(f.path("type").asText())
                    && "AAPL".equals(f.path("symbol").asText()) && !f.path("snapshot").asBoolean(false)));
            JsonNode update = frames.stream().filter(f -> "price_update".equals(f.path("type").asText())).findFirst().orElseThrow();
            assertThat(update.path("data").path("price").asDouble()).isPositive();
            assertThat(frames).anyMatch(f -> "connected".equals(f.path("type").asText()));
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    @Test
    void theLoadgenMeasuresDeliveryAndLatencyOfTheRealPipeline() throws Exception {
        LoadPlan plan = LoadPlan.resolve(Preset.SEED_THROUGHPUT, new LoadPlan.Overrides(stack.wsUrl(), null,
                stack.bootstrapServers(), 5, 4, null, THROUGHPUT_PREFIX, SharedStack.THROUGHPUT_SYMBOLS, 20, Duration.ofSeconds(3), Duration.ofSeconds(5),
                DRAIN, null, null, null, null, null, null));
        LoadReport report = new LoadRun(plan, null, null).run();
        String line = report.toJsonLine();
        assertThat(report.subscribed()).as(line).isEqualTo(5);
        assertThat(report.produced()).as(line).isGreaterThan(50);
        assertThat(report.expected()).as(line).isEqualTo(report.produced() * 5);
        // a quote the edge counted as conflated (a newer one of its symbol replaced it behind a write in flight, as on
        // a loaded machine) is the latest-value design at work, not a loss
        long conflated = Math.max(0, report.edge().conflations());
        assertThat((report.delivered() + conflated) / (double) report.expected()).as(line).isGreaterThan(0.9);
        assertThat(report.latencyMs().count()).isEqualTo(report.delivered());
        assertThat(report.latencyMs().p50()).isPositive();
        assertThat(report.edge().samples()).isPositive();
        assertThat(JsonCodec.tree(report.toJsonLine()).get("clients").asInt()).isEqualTo(5);
    }

    @Test
    void slowLoadgenClientsOnTinySocketBuffersConnectAndReadWhileFastOnesGetEverything() throws Exception {
        LoadPlan plan = LoadPlan.resolve(Preset.SLOW_CONSUMERS, new LoadPlan.Overrides(stack.wsUrl(), null,
                stack.bootstrapServers(), 4, 3, null, SLOW_PREFIX, SharedStack.SLOW_SYMBOLS, 15, Duration.ofSeconds(2), Duration.ofSeconds(4),
                DRAIN, 0.5, Duration.ofMillis(200), null, null, null, null));
        LoadReport report = new LoadRun(plan, null, null).run();
        assertThat(report.subscribed()).isEqualTo(4);
        assertThat(report.slow()).isNotNull();
        assertThat(report.slow().clients()).isEqualTo(2);
        assertThat(report.slow().frames()).isPositive();
        assertThat(report.fast().deliveryRate()).isGreaterThan(0.9);
    }

    @Test
    void everyServiceMetricTheAlertsNameIsExported() throws Exception {
        Set<String> named = metricNames(Files.readString(repositoryFile("deploy/prometheus/alerts.yml")));
        assertThat(named).contains("stocktracker_edge_errors_total", "stocktracker_edge_connections_active");
        Set<String> exported = exportedMetrics();
        Set<String> missing = named.stream().filter(n -> !exported.contains(n)).collect(Collectors.toCollection(TreeSet::new));
        assertThat(missing).as("metrics named in alerts.yml that no service exports").isEmpty();
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesIsExported() throws Exception {
        JsonNode dashboard = JsonCodec.tree(Files.readString(repositoryFile("deploy/grafana/dashboards/stocktracker.json")));
        Set<String> named = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                named.addAll(metricNames(target.path("expr").asText()));
            }
        }
        assertThat(named).as("the seed's metrics list").contains("stocktracker_edge_connections_active", "stocktracker_edge_messages_out_total",
                "stocktracker_edge_quote_latency_seconds", "stocktracker_edge_errors_total", "stocktracker_edge_reconnections_total",
                "stocktracker_edge_symbol_subscribers", "jvm_memory_used_bytes", "process_cpu_usage",
                "kafka_consumer_fetch_manager_records_lag_max", "stocktracker_edge_slow_disconnects_total");
        // a per-symbol gauge has a row only while someone watches a symbol
        WebSocket watcher = http.newWebSocketBuilder().buildAsync(stack.wsUrl(), new WebSocket.Listener() { }).get();
        try {
            watcher.sendText("{\"action\":\"subscribe\",\"symbols\":[\"AAPL\"]}", true).get();
            await().atMost(PATIENCE).untilAsserted(() -> {
                Set<String> exported = exportedMetrics();
                Set<String> missing = named.stream().filter(n -> !exported.contains(n)).collect(Collectors.toCollection(TreeSet::new));
                assertThat(missing).as("metrics the dashboard queries that no service exports").isEmpty();
            });
        } finally {
            watcher.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    private static Set<String> metricNames(String promql) {
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("\\b((?:stocktracker|edge|ingest|streams|jvm|process|kafka)_[a-z0-9_]+)").matcher(promql);
        while (m.find()) {
            named.add(m.group(1));
        }
        return named;
    }

    private static Path repositoryFile(String relative) {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve(relative))) {
            root = root.getParent();
        }
        return root.resolve(relative);
    }

    /** Every sample name the edge, the streams processor and the ingest connector serve on /metrics now. */
    private static Set<String> exportedMetrics() throws Exception {
        EdgeApp edge = stack.edges().get(0);
        Set<String> exported = new TreeSet<>();
        for (int port : List.of(edge.port(), stack.streams().port(), stack.ingest().port())) {
            PrometheusText.parse(get(URI.create("http://localhost:" + port + "/metrics"))).samples()
                    .forEach(s -> exported.add(s.name()));
        }
        return exported;
    }
}
