package io.stocktracker.edge.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stocktracker.edge.EdgeConfig;
import io.stocktracker.kit.ops.Probe;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** /health (the process is up), /ready (can serve: cache bootstrapped, Kafka joined, Redis up), /metrics, /config.js. */
public final class OpsRoutes {
    /** Readiness facts; each false one makes /ready answer 503. */
    public record Readiness(boolean cacheReady, boolean kafkaAssigned, boolean redisUp, boolean accepting, boolean warmedUp) {
        public boolean ready() {
            return cacheReady && kafkaAssigned && redisUp && accepting && warmedUp;
        }
    }

    private final EdgeConfig config;
    private final PrometheusMeterRegistry registry;
    private final Supplier<Readiness> readiness;
    private final Runnable beforeScrape;
    private final Supplier<Map<String, Object>> stats;

    public OpsRoutes(EdgeConfig config, PrometheusMeterRegistry registry, Supplier<Readiness> readiness, Runnable beforeScrape,
                     Supplier<Map<String, Object>> stats) {
        this.config = config;
        this.registry = registry;
        this.readiness = readiness;
        this.beforeScrape = beforeScrape;
        this.stats = stats;
    }

    /** The kit's /health, /ready and /metrics with the edge's own facts, and /config.js. */
    public void register(RoutesConfig routes) {
        new io.stocktracker.kit.ops.OpsRoutes(registry, this::health, this::ready, beforeScrape).register(routes);
        routes.get("/config.js", this::configJs);
    }

    private Probe health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "UP");
        body.put("edgeId", config.edgeId());
        body.putAll(stats.get());
        return new Probe(true, body);
    }

    private Probe ready() {
        Readiness r = readiness.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", r.ready() ? "READY" : "NOT_READY");
        body.put("edgeId", config.edgeId());
        body.put("cacheReady", r.cacheReady());
        body.put("kafkaAssigned", r.kafkaAssigned());
        body.put("redisUp", r.redisUp());
        body.put("accepting", r.accepting());
        body.put("warmedUp", r.warmedUp());
        return new Probe(r.ready(), body);
    }

    /** Run-time UI settings so one frontend build serves every environment (loaded by index.html before the app). */
    private void configJs(Context ctx) {
        EdgeConfig.UiConfig ui = config.ui();
        Map<String, Object> c = new LinkedHashMap<>();
        if (ui.wsUrl() != null) {
            c.put("wsUrl", ui.wsUrl());
        }
        c.put("enableWebSocket", ui.enableWebSocket());
        c.put("fallbackToPolling", ui.fallbackToPolling());
        c.put("reconnectInterval", ui.reconnectIntervalMs());
        c.put("rolloutPercent", ui.rolloutPercent());
        c.put("wireFormat", ui.wireFormat());
        c.put("heartbeatInterval", config.heartbeatInterval().toMillis());
        String json = io.stocktracker.schemas.codec.JsonCodec.toJson(c).replace("<", "\\u003c");
        ctx.header("Cache-Control", "no-store")
                .contentType("application/javascript; charset=utf-8")
                .result("window.__STOCKTRACKER_CONFIG__ = " + json + ";\n");
    }
}
