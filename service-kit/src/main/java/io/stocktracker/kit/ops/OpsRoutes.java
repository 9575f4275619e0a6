package io.stocktracker.kit.ops;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stocktracker.schemas.codec.JsonCodec;
import java.util.function.Supplier;

/**
 * {@code /health} (the process is alive), {@code /ready} (it can do its work) and {@code /metrics} (Prometheus
 * text), for any Javalin app: the ops server registers them alone, the edge beside its own routes.
 */
public final class OpsRoutes {
    /** Prometheus' text exposition format, version 0.0.4: what scrapers ask for by default. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final Supplier<Probe> health;
    private final Supplier<Probe> ready;
    private final Runnable beforeScrape;

    public OpsRoutes(PrometheusMeterRegistry registry, Supplier<Probe> health, Supplier<Probe> ready, Runnable beforeScrape) {
        this.registry = registry;
        this.health = health;
        this.ready = ready;
        this.beforeScrape = beforeScrape;
    }

    public void register(RoutesConfig routes) {
        routes.get("/health", ctx -> answer(ctx, health.get()));
        routes.get("/ready", ctx -> answer(ctx, ready.get()));
        routes.get("/metrics", ctx -> {
            beforeScrape.run();
            ctx.contentType(PROMETHEUS_CONTENT_TYPE).result(registry.scrape());
        });
    }

    private static void answer(Context ctx, Probe probe) {
        ctx.status(probe.ok() ? 200 : 503).contentType("application/json").result(JsonCodec.toJson(probe.body()));
    }
}
