package io.stocktracker.ingest.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stocktracker.ingest.IngestMetrics;
import io.stocktracker.ingest.schedule.ActiveSymbols;
import io.stocktracker.kit.redis.ManagedRedisClient;
import io.stocktracker.schemas.codec.CodecException;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.redis.SubscriptionChange;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's side of the Redis contract. Follows {@code market-data:subscriptions} and
 * {@code market-data:control}, rebuilds the active set from every edge's {@code market-data:active-symbols:*}
 * set at start, after every reconnect and every {@code resyncInterval} (pub/sub is at-most-once), and
 * publishes error notifications.
 *
 * <p>Redis being down never stops ingestion: the first connection is retried in the background,
 * Lettuce reconnects (and resubscribes) afterwards, publishes fail fast instead of queueing while
 * disconnected, and the last known active set stays in force meanwhile.
 */
public final class RedisLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    private final ManagedRedisClient redis;
    private final RedisClient client;
    private final ActiveSymbols activeSymbols;
    private final Consumer<ControlMessage> onControl;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final Duration resyncInterval;
    private final ScheduledExecutorService executor;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong badMessages = new java.util.concurrent.atomic.AtomicLong();

    public RedisLink(String url, ActiveSymbols activeSymbols, Consumer<ControlMessage> onControl, IngestMetrics metrics,
                     Clock clock, Duration resyncInterval) {
        this.redis = new ManagedRedisClient(url, "ingest", 1, Duration.ofSeconds(2), Duration.ofSeconds(3),
                ManagedRedisClient.DEFAULT_MAX_BACKOFF);
        this.client = redis.client();
        this.activeSymbols = activeSymbols;
        this.onControl = onControl;
        this.metrics = metrics;
        this.clock = clock;
        this.resyncInterval = resyncInterval;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-redis");
            t.setDaemon(true);
            return t;
        });
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                if (handler == pubSub) {
                    metrics.redisConnected(true);
                    log.info("Redis pub/sub reconnected; re-reading active symbols");
                    executor.execute(RedisLink.this::resync);
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                if (handler == pubSub && !closed) {
                    metrics.redisConnected(false);
                    log.warn("Redis pub/sub connection lost; keeping the last known active symbols");
                }
            }
        });
    }

    /** Connects in the background (retrying until it works) and schedules the periodic resync. */
    public void start() {
        redis.connectInBackground(executor, () -> closed, this::connect, (e, delayMillis, attempt) -> {
            metrics.redisConnected(false);
            closeQuietly();
            log.warn("Redis not reachable ({}); ingesting INGEST_SYMBOLS meanwhile, retrying in {} ms", e.getMessage(), delayMillis);
        });
    }

    public boolean connected() {
        var ps = pubSub;
        return ps != null && ps.isOpen();
    }

    private void connect() {
        StatefulRedisPubSubConnection<String, String> ps = client.connectPubSub();
        ps.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                onMessage(channel, message);
            }
        });
        pubSub = ps;
        ps.sync().subscribe(Channels.SUBSCRIPTIONS, Channels.CONTROL);
        connection = client.connect();
        metrics.redisConnected(true);
        log.info("following {} and {}", Channels.SUBSCRIPTIONS, Channels.CONTROL);
        resync();
        executor.scheduleWithFixedDelay(this::resync, resyncInterval.toMillis(), resyncInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onMessage(String channel, String message) {
        try {
            if (Channels.SUBSCRIPTIONS.equals(channel)) {
                SubscriptionChange change = JsonCodec.fromJson(message, SubscriptionChange.class);
                if (change.type() == null || SubscriptionChange.TYPE.equals(change.type())) {
                    activeSymbols.apply(change, clock.instant());
                    log.debug("{} {} {} -> {}", change.edgeId(), change.action(), change.symbols(), activeSymbols);
                }
            } else if (Channels.CONTROL.equals(channel)) {
                ControlMessage control = JsonCodec.fromJson(message, ControlMessage.class);
                if (control.type() == null || ControlMessage.TYPE.equals(control.type())) {
                    onControl.accept(control);
                }
            }
        } catch (CodecException e) {
            badMessage(channel, e.getMessage());
        } catch (RuntimeException e) {
            // whatever a message does, it must not take the pub/sub listener down with it
            badMessage(channel, e.toString());
        }
    }

    private void badMessage(String channel, String why) {
        metrics.registry().counter("ingest.redis.bad.messages", "channel", channel).increment();
        // a flood of garbage must not become a flood of log lines: the first, then every 1000th
        long n = badMessages.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            log.warn("ignored a bad message on {} ({} so far): {}", channel, n, why);
        }
    }

    /** Reads every edge's active-symbols set and replaces the edge interests with it. */
    public void resync() {
        Instant takenAt = clock.instant();
        snapshot().ifPresent(s -> activeSymbols.replaceAll(s, takenAt));
    }

    /** edgeId -> symbols for every live edge set; empty when Redis is not reachable. */
    public Optional<Map<String, Set<String>>> snapshot() {
        var conn = connection;
        if (conn == null || !conn.isOpen()) {
            return Optional.empty();
        }
        try {
            RedisCommands<String, String> redis = conn.sync();
            Map<String, Set<String>> edges = new HashMap<>();
            String prefix = Channels.activeSymbolsKey("");
            ScanArgs args = ScanArgs.Builder.matches(Channels.activeSymbolsPattern()).limit(200);
            KeyScanCursor<String> cursor = redis.scan(args);
            while (true) {
                for (String key : cursor.getKeys()) {
                    Set<String> members = redis.smembers(key);
                    if (!members.isEmpty()) {
                        edges.put(key.substring(prefix.length()), members);
                    }
                }
                if (cursor.isFinished()) {
                    break;
                }
                cursor = redis.scan(ScanCursor.of(cursor.getCursor()), args);
            }
            return Optional.of(edges);
        } catch (RuntimeException e) {
            log.debug("active-symbols resync skipped: {}", e.toString());
            return Optional.empty();
        }
    }

    /** Fire-and-forget publish; dropped (and counted) while Redis is away. */
    public void publish(String channel, String payload) {
        var conn = connection;
        if (conn == null || !conn.isOpen()) {
            metrics.registry().counter("ingest.redis.publish.dropped", "channel", channel).increment();
            return;
        }
        try {
            conn.async().publish(channel, payload).exceptionally(e -> {
                metrics.registry().counter("ingest.redis.publish.dropped", "channel", channel).increment();
                return 0L;
            });
        } catch (RuntimeException e) {
            metrics.registry().counter("ingest.redis.publish.dropped", "channel", channel).increment();
        }
    }

    private void closeQuietly() {
        try {
            if (pubSub != null) {
                pubSub.close();
            }
            if (connection != null) {
                connection.close();
            }
        } catch (RuntimeException ignored) {
            // closing a half-open link
        }
        pubSub = null;
        connection = null;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        executor.shutdownNow();
        closeQuietly();
        redis.close();
    }
}
