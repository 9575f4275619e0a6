package io.stocktracker.edge.bridge;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.stocktracker.kit.logging.Redact;
import io.stocktracker.kit.redis.BlockingSubscriber;
import io.stocktracker.kit.redis.ManagedRedisClient;
import io.stocktracker.schemas.contract.Channels;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's three Redis connections and whether they are usable:
 * <ul>
 *   <li>pub/sub: SUBSCRIBEs market-data:updates and market-data:control (a subscribed connection can do nothing else),
 *   read by a {@link BlockingSubscriber} whose thread hands each message straight to {@code messages}: Lettuce's
 *   event loop would add a wake-up per quote (issue 12);</li>
 *   <li>publisher: used only by the group-consumer thread, with manual flushing so each poll's PUBLISH/SET go out as one pipeline;</li>
 *   <li>commands: active symbols, heartbeat, subscription changes (shared, auto-flushed).</li>
 * </ul>
 * Lettuce, and the subscriber, reconnect by themselves (exponential delay capped by the configured maximum), the
 * subscriber subscribing again; commands issued while disconnected are rejected at once instead of queueing without
 * bound. The very first connection is not retried by Lettuce, so it is retried here with the same backoff:
 * an edge may start before Redis. "Up" means all three connections are connected and both channels are
 * subscribed; transitions are reported to {@link Events} on the bridge's scheduler, never on a Redis thread.
 */
final class RedisLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    static final RedisCodec<String, byte[]> BYTES = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    static final List<String> CHANNELS = List.of(Channels.UPDATES, Channels.CONTROL);
    /** Upper bound for one Redis command; a command past it counts as failed (and is redone by replay). */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    interface Events {
        /** All connections are up and subscribed; {@code reconnect} is false the very first time. */
        void up(boolean reconnect);

        void down();
    }

    private final BridgeConfig config;
    private final ScheduledExecutorService scheduler;
    private final Events events;
    private final ManagedRedisClient redis;
    private final RedisClient client;

    private final AtomicBoolean commandsConnected = new AtomicBoolean();
    private final AtomicBoolean publisherConnected = new AtomicBoolean();
    private final AtomicBoolean pubsubConnected = new AtomicBoolean();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final Set<Object> watched = ConcurrentHashMap.newKeySet();

    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisConnection<String, byte[]> publisher;
    private final BlockingSubscriber subscriber;
    private volatile boolean up;
    private volatile long upSince;
    private final java.util.concurrent.atomic.AtomicLong downs = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;
    private boolean everUp;

    RedisLink(BridgeConfig config, ScheduledExecutorService scheduler, BiConsumer<String, byte[]> messages, Events events) {
        this.config = config;
        this.scheduler = scheduler;
        this.events = events;
        this.redis = new ManagedRedisClient(config.redisUrl(), "ws-edge:" + config.edgeId(), 2, CONNECT_TIMEOUT, COMMAND_TIMEOUT,
                config.redisReconnectMaxBackoff());
        this.client = redis.client();
        this.subscriber = new BlockingSubscriber(config.redisUrl(), "ws-edge:" + config.edgeId(), CONNECT_TIMEOUT,
                config.redisReconnectMaxBackoff(), CHANNELS, messages, new SubscriberEvents());
    }

    void start() {
        subscriber.start();
        redis.connectInBackground(scheduler, () -> closed, this::connect, (e, delayMillis, attempt) ->
                log.warn("edge {}: Redis at {} unreachable ({}), retrying in {} ms (attempt {})",
                        config.edgeId(), Redact.url(config.redisUrl()), e.getMessage(), delayMillis, attempt));
    }

    boolean up() {
        return up;
    }

    /** How long Redis has been up without interruption; negative while it is down. */
    long upForNanos() {
        return up ? System.nanoTime() - upSince : -1;
    }

    /** How many times Redis went from up to down. */
    long downs() {
        return downs.get();
    }

    /** Null until the first connection succeeded; commands fail fast while Redis is down. */
    RedisAsyncCommands<String, String> commands() {
        StatefulRedisConnection<String, String> c = commands;
        return c == null ? null : c.async();
    }

    /** Used only by the group-consumer thread: auto-flush is off, call {@code flushCommands()} after queueing. */
    StatefulRedisConnection<String, byte[]> publisher() {
        return publisher;
    }

    /** Retried by {@link #start} until it does not throw; reuses the connections a failed attempt did open. */
    private void connect() {
        StatefulRedisConnection<String, String> cmd = commands != null ? commands : client.connect(StringCodec.UTF8);
        commands = cmd;
        watch(cmd, commandsConnected);
        StatefulRedisConnection<String, byte[]> pub = publisher != null ? publisher : client.connect(BYTES);
        pub.setAutoFlushCommands(false);
        publisher = pub;
        watch(pub, publisherConnected);
        log.info("edge {}: connected to Redis at {}", config.edgeId(), Redact.url(config.redisUrl()));
    }

    /** The subscriber's own thread reports here. */
    private final class SubscriberEvents implements BlockingSubscriber.Listener {
        @Override
        public void connected() {
            pubsubConnected.set(true);
            evaluate();
        }

        @Override
        public void subscribed(String channel) {
            subscribed.add(channel);
            evaluate();
        }

        @Override
        public void disconnected(RuntimeException cause, long retryInMillis, int attempt) {
            pubsubConnected.set(false);
            subscribed.clear();
            evaluate();
            if (attempt == 1) {
                log.warn("edge {}: Redis subscription at {} lost ({}), reconnecting in {} ms", config.edgeId(),
                        Redact.url(config.redisUrl()), cause.getMessage(), retryInMillis);
            } else {
                log.debug("edge {}: Redis subscription still down ({}), attempt {} in {} ms", config.edgeId(), cause.getMessage(),
                        attempt, retryInMillis);
            }
        }
    }

    private void watch(StatefulRedisConnection<?, ?> connection, AtomicBoolean connected) {
        if (!watched.add(connection)) {
            return; // already watched (a retry of connect() after a later connection failed)
        }
        connected.set(true);
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
                connected.set(true);
                evaluate();
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                connected.set(false);
                evaluate();
            }
        });
        evaluate();
    }

    private synchronized void evaluate() {
        boolean now = !closed && commandsConnected.get() && publisherConnected.get() && pubsubConnected.get()
                && subscribed.containsAll(CHANNELS);
        if (now == up) {
            return;
        }
        up = now;
        if (now) {
            upSince = System.nanoTime();
            boolean reconnect = everUp;
            everUp = true;
            log.info("edge {}: Redis {} (connected and subscribed to {})", config.edgeId(), reconnect ? "is back" : "is up", CHANNELS);
            dispatch(() -> events.up(reconnect));
        } else if (!closed) {
            downs.incrementAndGet();
            log.warn("edge {}: Redis connection lost; serving quotes of this edge's own partitions directly until it returns",
                    config.edgeId());
            dispatch(events::down);
        }
    }

    private void dispatch(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    @Override
    public void close() {
        closed = true;
        up = false;
        subscriber.close();
        for (var c : new io.lettuce.core.api.StatefulConnection<?, ?>[] {publisher, commands}) {
            if (c != null) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    log.debug("closing a Redis connection", e);
                }
            }
        }
        redis.close();
    }
}
