package io.stocktracker.edge;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stocktracker.edge.bridge.KafkaRedisBroker;
import io.stocktracker.edge.bridge.LatestValueCache;
import io.stocktracker.edge.broker.MemoryBroker;
import io.stocktracker.edge.fanout.BroadcastEngine;
import io.stocktracker.edge.session.ConnectionManager;
import io.stocktracker.edge.subscription.SubscriptionManager;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An edge with the parts a test asserts on: over the in-memory broker (no Kafka, no Redis: protocol, fan-out, slow
 * consumers, auth) or over the real Kafka/Redis bridge ({@link TestInfra}'s shared broker and redis-server).
 */
final class TestEdge implements AutoCloseable {
    final EdgeParts parts;
    final EdgeApp app;
    private final MemoryBroker memory;
    private final KafkaRedisBroker bridge;

    private TestEdge(EdgeParts parts, MemoryBroker memory, KafkaRedisBroker bridge) {
        this.parts = parts;
        this.memory = memory;
        this.bridge = bridge;
        this.app = EdgeApp.start(parts);
    }

    /** Over the shared embedded Kafka and redis-server. */
    static TestEdge real(Map<String, String> overrides) {
        return real(TestInfra.config(overrides));
    }

    static TestEdge real(EdgeConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KafkaRedisBroker broker = new KafkaRedisBroker(config, registry);
        return new TestEdge(EdgeParts.assemble(config, registry, broker), null, broker);
    }

    /** Over the in-memory broker: nothing outside this JVM but the test's own sockets. */
    static TestEdge inMemory(Map<String, String> overrides) {
        MemoryBroker broker = new MemoryBroker();
        return new TestEdge(EdgeParts.assemble(memoryConfig(overrides), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                broker), broker, null);
    }

    /** The settings {@link TestInfra#config} gives, with addresses nothing listens on (nothing may connect there). */
    static EdgeConfig memoryConfig(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("EDGE_PORT", "0");
        env.put("EDGE_ID", "mem-edge-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9");
        env.put("REDIS_URL", "redis://127.0.0.1:9");
        env.put("SHUTDOWN_GRACE_MS", "500");
        env.put("SYMBOL_UNIVERSE_CHECK", "false");
        env.put("ADMISSION_RATE_PER_SECOND", "10000");
        env.put("ADMISSION_BURST", "10000");
        env.putAll(overrides);
        return EdgeConfig.fromEnv(env);
    }

    /** Hands {@code quote} to the edge the way its broker would: through Kafka and Redis, or in memory. */
    StockQuote publish(StockQuote quote) {
        if (memory != null) {
            memory.publish(quote);
            return quote;
        }
        return TestInfra.publish(quote);
    }

    StockQuote publish(String symbol, double price) {
        return publish(TestInfra.quote(symbol, price));
    }

    /** A market-data:control command addressed to this edge: through the in-memory broker, or handed straight in. */
    void control(ControlMessage message) {
        if (memory != null) {
            memory.control(message);
        } else {
            app.onControl(message);
        }
    }

    int port() {
        return app.port();
    }

    int tlsPort() {
        return app.tlsPort();
    }

    boolean ready() {
        return app.ready();
    }

    EdgeConfig config() {
        return parts.config();
    }

    SubscriptionManager subscriptions() {
        return parts.subscriptions();
    }

    ConnectionManager connections() {
        return parts.connections();
    }

    BroadcastEngine broadcastEngine() {
        return parts.broadcast();
    }

    EdgeMetrics metrics() {
        return parts.metrics();
    }

    LatestValueCache cache() {
        return parts.broker().latest();
    }

    /** The Kafka/Redis broker; null in memory. */
    KafkaRedisBroker bridge() {
        return bridge;
    }

    int httpSessionsCreated() {
        return app.httpSessionsCreated();
    }

    @Override
    public void close() {
        app.close();
    }
}
