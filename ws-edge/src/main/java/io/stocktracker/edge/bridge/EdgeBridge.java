package io.stocktracker.edge.bridge;

import io.micrometer.core.instrument.MeterRegistry;
import io.stocktracker.kit.logging.Redact;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.redis.SubscriptionChange;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's Kafka/Redis bridge (the seed's "Redis Integration"):
 * <ul>
 *   <li>{@link CacheBootstrap}: quotes.latest from the beginning into the {@link LatestValueCache} before ready;</li>
 *   <li>{@link QuoteRelay}: this edge's partitions (group {@code ws-edge}) -> PUBLISH market-data:updates + SET quote:{SYMBOL};</li>
 *   <li>{@link RelayTakeover}: the relay heartbeat in Redis, and a crashed edge's partitions relayed meanwhile;</li>
 *   <li>the subscriber: market-data:updates -> cache -> {@link QuoteListener} with the received bytes as the frame;
 *       market-data:control -> {@link ControlListener};</li>
 *   <li>{@link ActiveSymbols}: market-data:subscriptions and this edge's active-symbols set with its heartbeat;</li>
 *   <li>{@link CatchUpReader}: after a Redis gap, what other edges published meanwhile is read back from quotes.latest.</li>
 * </ul>
 * While Redis is down the relay hands its own partitions' quotes to the listener directly, so clients of
 * this edge keep receiving those; the edge reports not ready until Redis is back and resubscribed.
 */
public final class EdgeBridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeBridge.class);
    /** How long a missing quotes.latest is waited for before the edge starts with an empty cache. */
    static final Duration MISSING_TOPIC_GRACE = Duration.ofSeconds(10);
    /** How often the group's committed offsets are sampled as the starting point of a catch-up after a Redis gap. */
    static final Duration OFFSET_SAMPLE_INTERVAL = Duration.ofSeconds(2);

    private final BridgeConfig config;
    private final BridgeMetrics metrics;
    private final Delivery delivery;
    private final ScheduledExecutorService scheduler;
    private final RedisLink link;
    private final ActiveSymbols activeSymbols;
    private final CacheBootstrap bootstrap;
    private final QuoteRelay relay;
    private final RelayTakeover takeover;
    private final CatchUpReader catchUp;
    private final java.util.concurrent.ExecutorService catchUpWorker;
    private final AtomicBoolean sampleQueued = new AtomicBoolean();
    private boolean everUp;
    private final Thread bootstrapThread;
    private final Thread relayThread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong malformedSeen = new AtomicLong();

    private EdgeBridge(BridgeConfig config, LatestValueCache cache, QuoteListener quotes, ControlListener control,
                       MeterRegistry registry, String topic, Duration missingTopicGrace) {
        this.config = config;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("edge-bridge-" + config.edgeId()));
        RedisLink[] holder = new RedisLink[1];
        this.metrics = new BridgeMetrics(registry, config.edgeId(), cache, () -> holder[0] != null && holder[0].up());
        this.delivery = new Delivery(cache, quotes, control, metrics);
        this.link = new RedisLink(config, scheduler, this::onRedisMessage, new RedisLink.Events() {
            @Override
            public void up(boolean reconnect) {
                onRedisUp(reconnect);
            }

            @Override
            public void down() {
            }
        });
        holder[0] = link;
        this.activeSymbols = new ActiveSymbols(config, link, scheduler, metrics);
        this.bootstrap = new CacheBootstrap(config, topic, missingTopicGrace, delivery, metrics, link::up);
        this.relay = new QuoteRelay(config, topic, link, delivery, metrics);
        this.takeover = new RelayTakeover(config, link, relay::assignment);
        relay.takeOverWhen(takeover::relaying);
        this.catchUpWorker = Executors.newSingleThreadExecutor(daemon("edge-bridge-catchup-" + config.edgeId()));
        this.catchUp = new CatchUpReader(config, topic, delivery, metrics, catchUpWorker);
        this.bootstrapThread = daemon("edge-bridge-bootstrap-" + config.edgeId()).newThread(bootstrap);
        this.relayThread = daemon("edge-bridge-relay-" + config.edgeId()).newThread(relay);
    }

    /** Starts every part in the background and returns at once; {@link #ready()} tells when the edge can serve. */
    public static EdgeBridge start(BridgeConfig config, LatestValueCache cache, QuoteListener quotes, ControlListener control,
                                   MeterRegistry registry) {
        return start(config, cache, quotes, control, registry, Topics.QUOTES_LATEST, MISSING_TOPIC_GRACE);
    }

    /** As {@link #start}, on another topic and grace period: for tests that need a topic of their own. */
    static EdgeBridge start(BridgeConfig config, LatestValueCache cache, QuoteListener quotes, ControlListener control,
                            MeterRegistry registry, String topic, Duration missingTopicGrace) {
        EdgeBridge bridge = new EdgeBridge(config, cache, quotes, control, registry, topic, missingTopicGrace);
        bridge.link.start();
        bridge.relayThread.start();
        bridge.bootstrapThread.start();
        bridge.activeSymbols.startHeartbeat(config.heartbeatInterval());
        long beat = config.relayHeartbeatInterval().toMillis();
        bridge.scheduler.scheduleWithFixedDelay(bridge.takeover::beat, 0, beat, TimeUnit.MILLISECONDS);
        bridge.scheduler.scheduleWithFixedDelay(bridge::sampleCommittedOffsets, 1, OFFSET_SAMPLE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("edge {}: bridge started (group {}, topic {}, Redis {})", config.edgeId(), config.consumerGroup(), topic,
                Redact.url(config.redisUrl()));
        return bridge;
    }

    /** The bootstrap of quotes.latest (assign + seek to beginning, read up to the end offsets) has finished. */
    public boolean cacheReady() {
        return bootstrap.ready();
    }

    /** The group consumer has joined and holds an assignment (possibly empty when there are more edges than partitions). */
    public boolean kafkaAssigned() {
        return relay.assigned();
    }

    /** The pub/sub and command connections are up and both channels are subscribed. */
    public boolean redisUp() {
        return link.up();
    }

    public boolean ready() {
        return cacheReady() && kafkaAssigned() && redisUp();
    }

    /** Called by SubscriptionManager on this edge's 0->1 (subscribe) and 1->0 (unsubscribe) transitions. */
    public void interestChanged(SubscriptionChange.Action action, Collection<String> symbols) {
        if (action == null || symbols == null || symbols.isEmpty() || closed.get()) {
            return;
        }
        activeSymbols.change(action, symbols);
    }

    /** The symbols this edge currently announces as active (what {@code market-data:active-symbols:{edgeId}} holds). */
    public Set<String> activeSymbols() {
        return activeSymbols.current();
    }

    /** The distinct symbols all edges announce, counted in Redis: what SYMBOL_MAX_ACTIVE_CLUSTER is checked against. */
    public io.stocktracker.edge.universe.SymbolAdmission.ClusterView clusterSymbols(Duration timeout) {
        return new ClusterSymbols(link, timeout);
    }

    /** The quotes.latest partitions this edge relays now. */
    List<TopicPartition> assignment() {
        return relay.assignment();
    }

    public String edgeId() {
        return config.edgeId();
    }

    /** Leaves the group (committing what was published), removes this edge's active-symbols key, closes Redis. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        relay.stop();
        bootstrap.stop();
        join(relayThread);
        join(bootstrapThread);
        scheduler.shutdownNow();
        catchUp.close(); // a running catch-up stops at its next poll
        catchUpWorker.shutdown();
        try {
            if (!catchUpWorker.awaitTermination(5, TimeUnit.SECONDS)) {
                catchUpWorker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        activeSymbols.close();
        link.close();
        log.info("edge {}: bridge closed", config.edgeId());
    }

    private void onRedisMessage(String channel, byte[] payload) {
        try {
            ChannelMessages.Decoded decoded = Channels.UPDATES.equals(channel) ? ChannelMessages.update(payload)
                    : Channels.CONTROL.equals(channel) ? ChannelMessages.control(payload)
                    : new ChannelMessages.Malformed("unexpected channel " + channel);
            if (decoded instanceof ChannelMessages.Quote q) {
                delivery.quote(q.quote(), payload, metrics.deliveredFromRedis);
            } else if (decoded instanceof ChannelMessages.SourceError e) {
                delivery.sourceError(e.error(), payload);
            } else if (decoded instanceof ChannelMessages.Control c) {
                if (c.message().targets(config.edgeId())) {
                    delivery.control(c.message());
                }
            } else if (decoded instanceof ChannelMessages.Malformed m) {
                malformed(channel, m.reason());
            }
        } catch (RuntimeException e) {
            malformed(channel, e.toString()); // never let an exception reach the Redis event loop
        }
    }

    private void malformed(String channel, String reason) {
        metrics.malformedRedis.increment();
        long n = malformedSeen.incrementAndGet();
        if (n <= 10 || n % 1000 == 0) {
            log.warn("edge {}: dropped a malformed message on {} ({} so far): {}", config.edgeId(), channel, n, reason);
        }
    }

    /** Runs on the scheduler. */
    private void onRedisUp(boolean reconnect) {
        if (reconnect) {
            metrics.reconnections.increment();
        }
        activeSymbols.resync();
        // the first time, the bootstrap covers everything unless it finished before Redis came up
        boolean first = !everUp;
        everUp = true;
        if (!first || bootstrap.capturedWhileDown()) {
            catchUp.requestFill();
        }
    }

    private void sampleCommittedOffsets() {
        if (link.up() && sampleQueued.compareAndSet(false, true)) {
            try {
                catchUpWorker.execute(() -> {
                    sampleQueued.set(false);
                    catchUp.sample(link);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
