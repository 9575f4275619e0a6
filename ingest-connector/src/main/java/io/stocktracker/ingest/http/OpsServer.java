package io.stocktracker.ingest.http;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stocktracker.schemas.codec.JsonCodec;
import java.util.function.Supplier;

/** {@code GET /health} (liveness, with a status snapshot) and {@code GET /metrics} (Prometheus text). */
public final class OpsServer implements AutoCloseable {
    private final Javalin app;

    public OpsServer(int port, PrometheusMeterRegistry registry, Supplier<Object> health) {
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.port = port;
            config.routes.get("/health", ctx -> ctx.contentType("application/json").result(JsonCodec.toJson(health.get())));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
        });
    }

    public OpsServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
