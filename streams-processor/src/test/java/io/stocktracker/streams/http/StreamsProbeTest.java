package io.stocktracker.streams.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stocktracker.kit.ops.OpsRoutes;
import io.stocktracker.kit.ops.OpsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class StreamsProbeTest {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(OpsServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static OpsServer start(PrometheusMeterRegistry registry, java.util.function.Supplier<KafkaStreams.State> state) {
        return OpsServer.start(0, new OpsRoutes(registry, () -> StreamsProbe.of(state.get()), () -> StreamsProbe.of(state.get()), () -> { }));
    }

    @Test
    void healthIsOkOnlyWhileKafkaStreamsIsRunning() throws Exception {
        AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.REBALANCING);
        try (OpsServer server = start(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), state::get)) {
            assertThat(server.port()).isPositive();
            HttpResponse<String> rebalancing = get(server, "/health");
            assertThat(rebalancing.statusCode()).isEqualTo(503);
            assertThat(rebalancing.body()).isEqualTo("{\"state\":\"REBALANCING\"}");

            state.set(KafkaStreams.State.RUNNING);
            HttpResponse<String> running = get(server, "/health");
            assertThat(running.statusCode()).isEqualTo(200);
            assertThat(running.body()).isEqualTo("{\"state\":\"RUNNING\"}");
            assertThat(running.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));

            assertThat(get(server, "/ready").statusCode()).isEqualTo(200);

            state.set(KafkaStreams.State.ERROR);
            assertThat(get(server, "/health").statusCode()).isEqualTo(503);
            assertThat(get(server, "/ready").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("quotes.accepted").increment(3);
        try (OpsServer server = start(registry, () -> KafkaStreams.State.RUNNING)) {
            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(metrics.body()).contains("quotes_accepted_total 3.0");
        }
    }
}
