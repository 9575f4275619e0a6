package io.stocktracker.edge;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stocktracker.edge.alerts.PriceAlerts;
import io.stocktracker.edge.bridge.KafkaRedisBroker;
import io.stocktracker.edge.bars.Bars;
import io.stocktracker.edge.bridge.LatestValueCache;
import io.stocktracker.edge.broker.Broker;
import io.stocktracker.edge.broker.BrokerEventHandler;
import io.stocktracker.edge.fanout.BroadcastEngine;
import io.stocktracker.edge.http.AlertRoutes;
import io.stocktracker.edge.http.BarRoutes;
import io.stocktracker.edge.http.BrowserHeaders;
import io.stocktracker.edge.http.HttpsEnforcer;
import io.stocktracker.edge.http.OpsRoutes;
import io.stocktracker.kit.main.ServiceMain;
import io.stocktracker.edge.http.QuoteRoutes;
import io.stocktracker.edge.http.TlsListener;
import io.stocktracker.edge.protocol.MessageValidator;
import io.stocktracker.edge.session.ClientMessageHandler;
import io.stocktracker.edge.session.ConnectionManager;
import io.stocktracker.edge.session.EdgeWebSocketServlet;
import io.stocktracker.edge.session.HeartbeatMonitor;
import io.stocktracker.edge.subscription.SubscriptionManager;
import io.stocktracker.edge.universe.IdleSymbolEviction;
import io.stocktracker.edge.universe.SymbolAdmission;
import io.stocktracker.edge.universe.SymbolUniverse;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.ws.ErrorMessage;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ws-edge service: Javalin (REST, ops, static frontend) with the {@code /ws} Jetty WebSocket endpoint, the
 * fan-out engine, and the Kafka/Redis bridge feeding it.
 */
public final class EdgeApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeApp.class);

    private final EdgeConfig config;
    private final PrometheusMeterRegistry registry;
    private final EdgeMetrics metrics;
    private final Broker broker;
    private final LatestValueCache cache;
    /** symbols.universe: what clients may subscribe to and look up (SYMBOL_UNIVERSE_CHECK). */
    private final SymbolUniverse universe = new SymbolUniverse();
    private final IdleSymbolEviction idleEviction;
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SubscriptionManager subscriptions;
    private final ConnectionManager connections;
    private final BroadcastEngine broadcast;
    private final PriceAlerts alerts;
    private final HeartbeatMonitor heartbeat;
    private final Javalin javalin;
    /** Set while Javalin configures Jetty, inside {@code Javalin.create}. */
    private volatile ServletContextHandler context;
    private volatile TlsListener tls;
    private final Bars bars;

    /** False while {@link EdgeWarmup} runs the quote path hot; /ready waits for it. */
    private volatile boolean warmedUp = true;

    private EdgeApp(EdgeParts parts, boolean loopbackOnly) {
        EdgeConfig config = parts.config();
        this.config = config;
        this.registry = parts.registry();
        this.metrics = parts.metrics();
        this.broker = parts.broker();
        this.cache = broker.latest();
        this.subscriptions = parts.subscriptions();
        this.connections = parts.connections();
        this.broadcast = parts.broadcast();
        this.heartbeat = new HeartbeatMonitor(connections, subscriptions, config);
        MessageValidator validator = new MessageValidator(config.maxFrameBytes(), config.maxSymbolsPerMessage(),
                config.maxSubscriptions());
        SymbolAdmission admission = new SymbolAdmission(universe, config.symbols(),
                candidates -> broker.clusterSymbols(config.symbols().clusterCheckTimeout()).count(candidates));
        this.idleEviction = new IdleSymbolEviction(cache, s -> subscriptions.subscriberCount(s) > 0,
                config.symbols().idleEviction(), config.edgeId());
        ClientMessageHandler handler = new ClientMessageHandler(connections, subscriptions, validator, metrics, cache::get,
                admission, parts.access());
        EdgeWebSocketServlet servlet = new EdgeWebSocketServlet(config, connections, handler, parts.limiter(), metrics,
                accepting::get, parts.access());
        this.alerts = PriceAlerts.create(config, admission::listed, metrics, connections);
        handler.onAlert(alerts::handle);
        metrics.bindState(connections::size, subscriptions::totalSubscriptions, () -> subscriptions.getActiveSymbols().size(),
                broadcast::totalQueued);
        AlertRoutes alertRoutes = new AlertRoutes(alerts, parts.access().authenticator());
        QuoteRoutes quotes = new QuoteRoutes(cache::get, cache::snapshot, config.maxSymbolsPerMessage(), admission::listed,
                parts.access().authenticator());
        this.bars = Bars.create(config.bars(), config.bridgeConfig(), connections, subscriptions, registry);
        BarRoutes barRoutes = new BarRoutes(bars, admission::listed, parts.access().authenticator(), java.time.Clock.systemUTC());
        OpsRoutes ops = new OpsRoutes(config, registry, this::readiness,
                () -> metrics.refreshSymbolGauges(subscriptions.subscriberCounts()), this::stats);
        this.javalin = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.port = config.port();
            cfg.jetty.threadPool = threadPool(config.httpMaxThreads());
            if (loopbackOnly) {
                cfg.jetty.host = InetAddress.getLoopbackAddress().getHostAddress();
            }
            tls = TlsListener.install(cfg.jetty, config.port(), config.transport());
            cfg.jetty.modifyServletContextHandler(h -> {
                context = h;
                h.addServlet(new ServletHolder("edge-ws", servlet), EdgeWebSocketServlet.PATH);
                // in front of Javalin's routes and /ws alike: HSTS, and with REQUIRE_HTTPS plain HTTP turned away
                h.addFilter(new FilterHolder(new HttpsEnforcer(config.transport(), this::tlsPort,
                        metrics.rejectedConnections::increment)), "/*",
                        EnumSet.of(DispatcherType.REQUEST));
                h.addFilter(new FilterHolder(new BrowserHeaders(config.ui().wsUrl())), "/*", EnumSet.of(DispatcherType.REQUEST));
            });
            cfg.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                if (config.corsOrigins().contains("*")) {
                    rule.anyHost();
                } else {
                    String first = config.corsOrigins().get(0);
                    rule.allowHost(first, config.corsOrigins().subList(1, config.corsOrigins().size()).toArray(String[]::new));
                }
            }));
            // the frontend module packages its build under /public; an edge without it still serves the API
            if (EdgeApp.class.getResource("/public") != null) {
                cfg.staticFiles.add("/public", Location.CLASSPATH);
                if (EdgeApp.class.getResource("/public/index.html") != null) {
                    cfg.spaRoot.addFile("/", "/public/index.html", Location.CLASSPATH);
                }
            }
            quotes.register(cfg.routes);
            alertRoutes.register(cfg.routes);
            barRoutes.register(cfg.routes);
            ops.register(cfg.routes);
        });
    }

    /**
     * Jetty's pool, bounded and quick to shrink. Javalin's default grew to 190-270 threads when a thousand clients
     * connected at once: every one runnable in cold code, on 2 cores, starving the writer threads and the Redis event
     * loop (the cold-start stall), and each idle one keeping ~29 KB of thread-local buffers for hours, because Jetty
     * retires one idle thread per minute (the soak's heap slope).
     */
    private static QueuedThreadPool threadPool(int max) {
        QueuedThreadPool pool = new QueuedThreadPool(max, Math.min(8, max), 10_000);
        pool.setMaxEvictCount(Math.max(1, max / 8));
        pool.setName("JettyServerThreadPool");
        return pool;
    }

    /** Starts the HTTP/WebSocket server and the Kafka/Redis broker; returns at once (watch /ready). */
    public static EdgeApp start(EdgeConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        boolean warming = config.warmup().quotes() > 0;
        EdgeApp app = start(EdgeParts.assemble(config, registry, new KafkaRedisBroker(config, registry)), warming);
        if (warming) {
            EdgeWarmup.start(config, () -> app.warmedUp = true);
        }
        return app;
    }

    /** A throw-away edge for {@link EdgeWarmup}: HTTP/WebSocket on 127.0.0.1 and the fan-out, no Kafka readers, no timers. */
    static EdgeApp startOnLoopback(EdgeParts parts) {
        EdgeApp app = new EdgeApp(parts, true);
        try {
            app.broker.followUniverse(app.universe);
            app.javalin.start();
            app.broker.run(app.brokerEvents());
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    /** Starts the HTTP/WebSocket server over {@code parts} and runs its broker; returns at once (watch /ready). */
    public static EdgeApp start(EdgeParts parts) {
        return start(parts, false);
    }

    /** {@code warming}: /ready says not warmed up from the first request on, until {@link EdgeWarmup} is done. */
    private static EdgeApp start(EdgeParts parts, boolean warming) {
        EdgeConfig config = parts.config();
        EdgeApp app = new EdgeApp(parts, false);
        app.warmedUp = !warming;
        try {
            app.broker.followUniverse(app.universe);
            app.idleEviction.start();
            app.alerts.start();
            app.bars.start();
            app.javalin.start();
            app.heartbeat.start();
            app.broker.shareUserCounts(parts.access().users());
            app.broker.run(app.brokerEvents());
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        log.info("edge {} listening on port {} (ws path {})", config.edgeId(), app.port(), EdgeWebSocketServlet.PATH);
        if (config.transport().tlsEnabled()) {
            log.info("edge {} listening for https/wss on port {} ({})", config.edgeId(), app.tlsPort(), config.transport());
        }
        return app;
    }

    private BrokerEventHandler brokerEvents() {
        return new BrokerEventHandler() {
            @Override
            public void onQuote(StockQuote quote, byte[] frame) {
                broadcast.broadcast(BroadcastEngine.Update.of(quote, frame));
                alerts.onQuote(quote);
            }

            @Override
            public void onSourceError(ErrorMessage error, byte[] frame) {
                if (error.symbol() != null) {
                    broadcast.broadcastSourceError(error.symbol(), new String(frame, StandardCharsets.UTF_8));
                }
            }

            @Override
            public void onControl(ControlMessage message) {
                EdgeApp.this.onControl(message);
            }
        };
    }

    void onControl(ControlMessage message) {
        if (message.command() == null) {
            return;
        }
        log.info("edge {}: control {}", config.edgeId(), message.command());
        switch (message.command()) {
            case pause -> broadcast.pause();
            case resume -> {
                if (!closed.get()) {
                    accepting.set(true);
                }
                broadcast.resume();
            }
            case drain -> {
                // not ready and refusing upgrades, so the load balancer sends the reconnects elsewhere
                accepting.set(false);
                connections.closeAll(CloseCode.GOING_AWAY, "Edge draining; reconnect");
            }
        }
    }

    public int port() {
        return javalin.port();
    }

    /** The bound https/wss port; -1 when TLS_KEYSTORE_PATH is not set. */
    public int tlsPort() {
        TlsListener t = tls;
        return t == null ? -1 : t.port();
    }

    public EdgeConfig config() {
        return config;
    }

    /** The symbols clients may subscribe to (symbols.universe, when SYMBOL_UNIVERSE_CHECK is on): the launcher waits for it. */
    public SymbolUniverse universe() {
        return universe;
    }

    public OpsRoutes.Readiness readiness() {
        Broker.Health h = broker.health();
        // the universe is part of the cache's readiness: before it is read every symbol would look unlisted
        return new OpsRoutes.Readiness(h.cacheReady() && (universe.ready() || !config.symbols().universeCheck()),
                h.feedAssigned(), h.pubSubUp(), accepting.get(), warmedUp);
    }

    public boolean ready() {
        return readiness().ready();
    }

    private Map<String, Object> stats() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("connections", connections.size());
        s.put("activeSymbols", subscriptions.getActiveSymbols().size());
        s.put("cachedSymbols", cache.size());
        s.put("universeSymbols", universe.size());
        s.put("paused", broadcast.paused());
        s.put("httpSessionsCreated", httpSessionsCreated());
        return s;
    }

    /**
     * HttpSessions the servlet context has ever created: stays 0 (WebSocket upgrades must not leave sessions behind);
     * -1 when there is no session handler to ask.
     */
    int httpSessionsCreated() {
        ServletContextHandler h = context;
        return h == null || h.getSessionHandler() == null ? -1 : h.getSessionHandler().getSessionsCreated();
    }

    /** Graceful: refuse new upgrades, close every client with 1001, leave the Kafka group, stop HTTP. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        accepting.set(false);
        log.info("edge {}: shutting down: closing {} connections with 1001, then leaving the consumer group", config.edgeId(),
                connections.size());
        connections.closeAll(CloseCode.GOING_AWAY, "Server shutting down");
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (connections.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (connections.size() > 0) {
            log.warn("edge {}: {} connections still open after SHUTDOWN_GRACE_MS ({} ms); Jetty drops them", config.edgeId(),
                    connections.size(), config.shutdownGrace().toMillis());
        }
        heartbeat.close();
        idleEviction.close();
        alerts.close();
        bars.close();
        broker.close(); // after the clients left: their per-user counts leave Redis, then the consumer group
        javalin.stop();
        connections.close();
        metrics.close();
        registry.close();
        log.info("edge {} stopped", config.edgeId());
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceMain.run("edge", EdgeConfig::fromEnv, EdgeApp::start);
    }
}
