package io.stocktracker.streams.http;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The operations endpoints: {@code GET /health} (200 only while Kafka Streams is RUNNING, 503 with the
 * current state otherwise, so a load balancer or orchestrator sees rebalances and failures) and
 * {@code GET /metrics} (Prometheus text).
 */
public final class OpsServer implements AutoCloseable {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin javalin;

    private OpsServer(Javalin javalin) {
        this.javalin = javalin;
    }

    public static OpsServer start(int port, Supplier<KafkaStreams.State> state, PrometheusMeterRegistry registry) {
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.port = port;
            config.routes.get("/health", ctx -> {
                KafkaStreams.State s = state.get();
                ctx.status(s == KafkaStreams.State.RUNNING ? 200 : 503)
                        .contentType("application/json")
                        .result("{\"state\":\"" + s + "\"}");
            });
            config.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
        });
        javalin.start();
        return new OpsServer(javalin);
    }

    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
    }
}
