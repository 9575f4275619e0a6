package io.stocktracker.ingest;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stocktracker.ingest.budget.Backoff;
import io.stocktracker.ingest.budget.BudgetPacer;
import io.stocktracker.ingest.budget.CircuitBreaker;
import io.stocktracker.ingest.budget.RateBudget;
import io.stocktracker.ingest.leader.LeaderElector;
import io.stocktracker.ingest.publish.ErrorThrottle;
import io.stocktracker.ingest.publish.QuotePublisher;
import io.stocktracker.ingest.publish.SourceErrorNotifier;
import io.stocktracker.ingest.redis.BudgetLedger;
import io.stocktracker.ingest.redis.RedisLink;
import io.stocktracker.ingest.schedule.ActiveSymbols;
import io.stocktracker.ingest.schedule.ActiveSymbolsBackgroundService;
import io.stocktracker.ingest.schedule.FetchPlanner;
import io.stocktracker.ingest.schedule.Provider;
import io.stocktracker.ingest.schedule.ProviderChain;
import io.stocktracker.ingest.source.AlphaVantageParser;
import io.stocktracker.ingest.source.QuoteSource;
import io.stocktracker.ingest.source.QuoteSources;
import io.stocktracker.ingest.source.TwelveDataParser;
import io.stocktracker.ingest.universe.Listings;
import io.stocktracker.ingest.universe.SymbolUniverse;
import io.stocktracker.ingest.universe.UniverseRefresher;
import io.stocktracker.kit.id.InstanceId;
import io.stocktracker.kit.kafka.TopicWait;
import io.stocktracker.kit.main.ServiceMain;
import io.stocktracker.kit.ops.OpsRoutes;
import io.stocktracker.kit.ops.OpsServer;
import io.stocktracker.kit.ops.Probe;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.contract.Channels;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest connector: sources -> provider chain -> quotes.raw, with the active set from Redis. It
 * replaces the seed's .NET MarketDataService (fetching from external APIs), ActiveSymbolsBackgroundService
 * (the fetch loop) and the error half of IWebSocketNotificationService (PublishErrorAsync).
 * {@link #start} returns once running; {@link #close} stops fetching first, then flushes what was
 * fetched to Kafka, then lets go of Redis and the HTTP port.
 */
public final class IngestApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestApp.class);
    private static final Duration TOPIC_WAIT = Duration.ofSeconds(60);

    private final IngestConfig config;
    private final PrometheusMeterRegistry registry;
    private final List<QuoteSource> sources;
    private final ActiveSymbols activeSymbols;
    private final ProviderChain chain;
    private final QuotePublisher publisher;
    private final RedisLink redis;
    private final ActiveSymbolsBackgroundService service;
    private final OpsRoutes opsRoutes;
    private volatile OpsServer ops;
    /** Null when INGEST_LEADER_ELECTION=false: this instance always fetches. */
    private final LeaderElector elector;
    /** Paced providers' spend shared in Redis, so a restart or a new leader does not start the day afresh. */
    private final BudgetLedger ledger;
    private final Clock clock;
    /** The symbols this connector may fetch; also written to symbols.universe for the edges. */
    private final SymbolUniverse universe = new SymbolUniverse();
    private final UniverseRefresher universeRefresher;
    private final AtomicBoolean closed = new AtomicBoolean();

    private IngestApp(IngestConfig config) {
        this.config = config;
        Clock clock = Clock.systemUTC();
        this.clock = clock;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        IngestMetrics metrics = new IngestMetrics(registry);

        this.sources = QuoteSources.create(config, clock);
        this.ledger = new BudgetLedger(config.redisUrl());
        List<Provider> providers = new ArrayList<>();
        for (QuoteSource source : sources) {
            Provider p = new Provider(source, budgetFor(source.name()),
                    new CircuitBreaker(config.breakerFailureThreshold(), config.breakerOpen()));
            metrics.watch(p, clock);
            ledger.track(p.name(), p.budget());
            providers.add(p);
        }
        this.chain = new ProviderChain(providers,
                new Backoff(config.retryBase(), config.retryMax(),
                        () -> ThreadLocalRandom.current().nextDouble()),
                config.retryMaxAttempts(), config.rateLimitCooldown(),
                config.unknownSymbolTtl(), clock,
                d -> Thread.sleep(d.toMillis()), metrics);

        List<String> pinned = QuoteSources.pinnedSymbols(config, sources);
        this.activeSymbols = new ActiveSymbols(pinned, config.activeSymbolsResync(), universe::contains);

        awaitTopics(config.kafkaBootstrapServers());
        this.universeRefresher = new UniverseRefresher(Listings.of(config, sources), universe, config.kafkaBootstrapServers(),
                config.universeRefresh(), config.universeRetry(), this::leading);
        this.publisher = new QuotePublisher(config.kafkaBootstrapServers(), "ingest-connector", metrics);

        // the service and the link refer to each other (control messages pause the service): link last
        ActiveSymbolsBackgroundService[] serviceRef = new ActiveSymbolsBackgroundService[1];
        this.redis = new RedisLink(config.redisUrl(), activeSymbols, m -> serviceRef[0].onControl(m), metrics, clock,
                config.activeSymbolsResync());
        SourceErrorNotifier notifier = new SourceErrorNotifier(redis::publish,
                new ErrorThrottle(config.errorNotifyInterval()), metrics, clock);
        this.service = new ActiveSymbolsBackgroundService(activeSymbols, new FetchPlanner(), chain, publisher, notifier, metrics, clock,
                config.closedMarketInterval());
        serviceRef[0] = service;
        this.elector = config.leaderElection()
                ? new LeaderElector(config.redisUrl(), Channels.INGEST_LEADER, instanceId(config), config.leaderTtl())
                : null;
        if (elector != null) {
            elector.onLeading(() -> {
                ledger.restore(clock.instant());
                universeRefresher.tookOver(); // only the leader fetches the listings: one paid request per provider a day
            });
        }
        service.leadWhile(this::leading);
        metrics.leader(this::leading);
        this.opsRoutes = new OpsRoutes(registry, this::health, this::health, () -> { });
    }

    private RateBudget budgetFor(String source) {
        return switch (source) {
            case AlphaVantageParser.SOURCE -> paced(config.alphaVantagePerMinute(), config.alphaVantagePerDay());
            case TwelveDataParser.SOURCE -> paced(config.twelveDataPerMinute(), config.twelveDataPerDay());
            default -> RateBudget.unlimited(); // simulated and replay cost nothing: never paced
        };
    }

    /** A daily-limited provider spreads its day over the trading window; one without a daily limit is not paced. */
    private RateBudget paced(int perMinute, int perDay) {
        if (perDay <= 0) {
            return new RateBudget(perMinute, perDay);
        }
        return new RateBudget(perMinute, perDay,
                new BudgetPacer(config.tradingWindow(), perDay, config.offHoursSharePercent() / 100.0, perMinute));
    }

    private static String instanceId(IngestConfig config) {
        return InstanceId.orFromHost(config.instanceId(), "ingest", IngestConfig.MAX_INSTANCE_ID);
    }

    /**
     * streams-processor creates the topics (with its partition count and configs); a producer to a missing topic
     * would fail, so the connector waits for them, bounded, then goes on (the producer retries meanwhile).
     */
    private static void awaitTopics(String bootstrapServers) {
        try {
            TopicWait.await(bootstrapServers, List.of(Topics.QUOTES_RAW, Topics.SYMBOLS_UNIVERSE), TOPIC_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while this instance may fetch: it holds the lease, or runs without election. */
    public boolean leading() {
        return elector == null || elector.isLeader();
    }

    public static IngestApp start(IngestConfig config) {
        IngestApp app = new IngestApp(config);
        try {
            app.universeRefresher.start();
            app.redis.start();
            if (app.elector != null) {
                app.elector.start();
            } else {
                app.ledger.restoreInBackground(app.clock);
            }
            app.service.start(config.interval());
            app.ops = OpsServer.start(config.httpPort(), app.opsRoutes);
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        log.info("ingest connector up: sources {}, {} pinned symbols, every {}, http port {}, {}",
                config.sources(), app.activeSymbols.pinned().size(), config.interval(), app.ops.port(),
                app.elector == null ? "no leader election" : "instance " + app.elector.instanceId()
                        + (app.leading() ? " (leader)" : " (standby)"));
        return app;
    }

    /** The bound HTTP port (useful when configured as 0). */
    public int port() {
        return ops.port();
    }

    public IngestConfig config() {
        return config;
    }

    public ActiveSymbols activeSymbols() {
        return activeSymbols;
    }

    public SymbolUniverse universe() {
        return universe;
    }

    public ActiveSymbolsBackgroundService service() {
        return service;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public boolean redisConnected() {
        return redis.connected();
    }

    private Probe health() {
        return new Probe(!closed.get(), status());
    }

    Map<String, Object> status() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", closed.get() ? "DOWN" : "UP");
        h.put("paused", service.paused());
        h.put("redis", redis.connected() ? "UP" : "DOWN");
        h.put("activeSymbols", activeSymbols.demand().size());
        h.put("universeSymbols", universe.size());
        h.put("edges", activeSymbols.edgeIds().size());
        Map<String, Object> leader = new LinkedHashMap<>();
        leader.put("election", elector != null);
        leader.put("role", elector == null ? "single" : leading() ? "leader" : "standby");
        if (elector != null) {
            leader.put("instance", elector.instanceId());
            elector.holder().ifPresent(holder -> leader.put("holder", holder));
            leader.put("ttlMs", elector.ttl().toMillis());
        }
        h.put("leader", leader);
        List<Map<String, Object>> providers = new ArrayList<>();
        var now = java.time.Instant.now();
        for (Provider p : chain.providers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("breaker", p.breaker().state(now).name());
            if (p.budget().limited()) {
                m.put("budgetMinute", p.budget().remainingThisMinute(now));
                m.put("budgetDay", p.budget().remainingToday(now));
            }
            p.budget().pacer().ifPresent(pacer -> {
                m.put("inTradingWindow", pacer.inWindow(now));
                m.put("budgetPeriod", pacer.remainingInPeriod(now));
                m.put("nextCreditInMs", pacer.untilNextCredit(now).toMillis());
            });
            providers.add(m);
        }
        h.put("providers", providers);
        return h;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("ingest connector stopping");
        service.close();
        universeRefresher.close();
        ledger.close(); // flushes the spend counts before a standby can read them
        if (elector != null) {
            elector.close(); // after the last fetch: a standby may start at once
        }
        publisher.close(); // sends what is buffered, for at most its close timeout
        redis.close();
        sources.forEach(QuoteSource::close);
        if (ops != null) {
            ops.close();
        }
        registry.close();
        log.info("ingest connector stopped");
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceMain.run("ingest connector", IngestConfig::fromEnv, IngestApp::start);
    }
}
