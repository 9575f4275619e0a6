package io.stocktracker.kit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpsServerTest {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(OpsServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndReadyAnswer503WithTheirBodyUntilOk() throws Exception {
        AtomicBoolean ok = new AtomicBoolean();
        OpsRoutes routes = new OpsRoutes(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> new Probe(true, Map.of("status", "UP")), () -> new Probe(ok.get(), Map.of("ready", ok.get())), () -> { });
        try (OpsServer server = OpsServer.start(0, routes)) {
            assertThat(get(server, "/health").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = get(server, "/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("{\"ready\":false}");
            assertThat(notReady.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            ok.set(true);
            assertThat(get(server, "/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void metricsArePrometheusTextScrapedAfterTheHook() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("quotes.accepted").increment(3);
        AtomicInteger scrapes = new AtomicInteger();
        OpsRoutes routes = new OpsRoutes(registry, () -> new Probe(true, Map.of()), () -> new Probe(true, Map.of()), scrapes::incrementAndGet);
        try (OpsServer server = OpsServer.start(0, routes)) {
            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type")).hasValue(OpsRoutes.PROMETHEUS_CONTENT_TYPE);
            assertThat(metrics.body()).contains("quotes_accepted_total 3.0");
            assertThat(scrapes.get()).isEqualTo(1);
        }
    }
}
